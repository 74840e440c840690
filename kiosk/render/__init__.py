"""Everything that draws, in plain pygame.

Pictures: :mod:`.primitives` (drawing helpers: masks, gradients, glows, stars, shaded
shapes), :mod:`.bodies` (the Sun, the Moon, the Earth), :mod:`.spacecraft` (Apollo and
Soyuz 19: the hulls and the docking animation's sprites), :mod:`.hatchway` (the light
down the hatch tunnel and the sleeved arms) and :mod:`.illustrations` (the named
pictures, by theme).  Text: :mod:`.palette`, :mod:`.fonts`, :mod:`.cmap`, :mod:`.text`
and :mod:`.painter`; :mod:`.regions` finds what a picture changes.
"""
