"""The docking: its pure timeline, the scene that draws it, its captions and its art."""
