"""What every test harness shares: one clock, one way to build the exhibit, one
illustration cache (the exhibit itself is :class:`kiosk.exhibit.Exhibit`)."""
