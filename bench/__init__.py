"""The performance benchmark suite: ``python -m bench`` (see bench/README.md)."""

#: Every figure, in the order of the table.
FIGURES: tuple[str, ...] = (
    "startup",
    "static_chapter_cpu",
    "attract_cpu",
    "transition",
    "transition_attract",
    "docking_800x480",
    "docking_1280x720",
    "docking_1920x1080",
    "button_to_screen",
    "button_to_new_page_visible",
    "handshake_to_animation",
    "peak_rss",
    "rss_after_start",
    "stats_off",
    "stats_on",
    "stats_difference",
    "serial_quiet",
    "serial_flood",
)
