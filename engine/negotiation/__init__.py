"""The negotiation itself: a deal's record of rounds, positions, responses and approvals
(:mod:`.record`, :mod:`.standing`, :mod:`.session`), what a new playbook version does to
deals under way (:mod:`.impact`), and a view across deals (:mod:`.batch`, :mod:`.portfolio`).
"""
