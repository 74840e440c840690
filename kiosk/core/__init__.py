"""The pure core: the visitor flow, sleep, opening hours, visits and the event bus.

No pygame, no hardware; time is passed in.
"""
