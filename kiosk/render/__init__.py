"""Everything that draws: palette, fonts, layout, illustrations and scenes."""
