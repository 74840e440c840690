"""The docking scene: from the rendezvous to the artificial eclipse and a last look.

What happens when comes from the pure timeline in :mod:`kiosk.docking.timeline`
(so a frame depends only on ``t`` and the visitor's grip); this module turns a
:class:`~kiosk.docking.timeline.DockingFrame` into pixels.  Everything costly is
drawn ahead, once per screen size, in five slices (:meth:`DockingScene.warm_up`):
the sky over the Earth, Soyuz and Apollo at every scale the camera uses, the
hatchway with the two arms, Soyuz's view of the Sun, and the text of every
language.  A frame is then a background and a few sprites (the spacecraft, the
guide ring and its struts, thruster puffs, captions, three telemetry figures),
handed to a :class:`~kiosk.scenes.compositor.Compositor` that repaints only what
changed since the last frame.

Sounds (thruster puffs, latches, the chime) are cued from the timeline as the
animation passes them; they never affect the picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pygame

from kiosk.core.flow import FlowState, Page
from kiosk.docking import art as da
from kiosk.docking import timeline as tl
from kiosk.docking.text import DockingText
from kiosk.render import primitives as prim
from kiosk.render import spacecraft as sc
from kiosk.render.spacecraft import Sprite, ZoomSprite
from kiosk.scenes.compositor import Compositor, Layer
from kiosk.scenes.context import SceneContext

#: How far the near stars drift for each metre the camera pans, as a fraction of
#: the picture's height (the far sky and the Earth stay put).
STAR_PARALLAX = 0.009

Point = tuple[float, float]


def sprite_layer(key: object, sprite: Sprite, point: Point) -> Layer:
    """A layer blitting ``sprite`` with its anchor on ``point`` (``key`` names the
    sprite; where it goes is part of the layer's rect)."""
    pos = (round(point[0] - sprite.anchor[0]), round(point[1] - sprite.anchor[1]))
    image = sprite.surface
    return Layer(key, pygame.Rect(pos, image.get_size()), lambda s: s.blit(image, pos))


def added(key: object, image: pygame.Surface, pos: tuple[int, int]) -> Layer:
    """A layer adding the light of ``image`` (opaque, light on black) at ``pos``."""
    return Layer(
        key,
        pygame.Rect(pos, image.get_size()),
        lambda s: s.blit(image, pos, special_flags=pygame.BLEND_RGB_ADD),
    )


class DockingScene:
    """Draws the docking animation; animated."""

    animated = True
    #: Length of the animation in seconds; the flow's ``docking_seconds`` must match.
    duration = tl.TOTAL

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx
        self._layers: dict[str, dict] = {}
        self.text = DockingText(ctx)
        self.compositor = Compositor()
        #: The visitor's grip (docking seconds) and where the docking leads; set by
        #: :meth:`follow` from the flow before each frame.
        self.grip_at: float | None = None
        self.leads_to_story = False
        self._cue_t: float | None = None
        self._dimmed: dict[tuple[int, int], pygame.Surface] = {}

    def follow(self, state: FlowState) -> None:
        """Take the visitor's grip and the docking's destination from the flow."""
        self.grip_at = state.docking_grip
        self.leads_to_story = state.docking_return is not None

    # -- sizes ----------------------------------------------------------------------

    @property
    def unit(self) -> float:
        """The height of the picture's 16:9 area: the composition scales with it."""
        return da.unit_of(self.ctx.size)

    def scale_of(self, view: float) -> float:
        """Pixels per metre for a camera showing ``view`` metres across the height."""
        return self.unit / view

    @staticmethod
    def _ss(scale: float, metres: float) -> int:
        """Supersampling for a sprite ``metres`` long at ``scale``: 2 unless huge."""
        return 2 if scale * metres <= 2600 else 1

    def _to_screen(self, cam: tl.Camera, x: float, y: float) -> Point:
        """Screen pixel of the world point (``x``, ``y``) metres for camera ``cam``."""
        w, h = self.ctx.size
        s = self.unit / cam.view
        return (w / 2 + (x - cam.x) * s, h / 2 + (y - cam.y) * s)

    # -- layers, drawn ahead ------------------------------------------------------------

    #: What :meth:`warm_up` draws in each of its steps.
    SLICES = (("background", "hatch"), ("soyuz", "apollo"), ("arms",), ("clasp",), ("eclipse",))

    def warm_up(self) -> Iterator[None]:
        """Draw every layer ahead of time, one piece per step (five steps); the last
        also sets the text of every language."""
        for names in self.SLICES:
            for name in names:
                self._layer(name)
            if names == ("eclipse",):
                for code in self.ctx.story.codes:
                    self.text.prepare(self.ctx.language(code))
            yield

    def _layer(self, name: str) -> dict:
        layer = self._layers.get(name)
        if layer is None:
            layer = getattr(self, f"_build_{name}")()
            self._layers[name] = layer
        return layer

    def _build_background(self) -> dict:
        size = self.ctx.size
        return {
            "sky": da.exterior_sky(size),
            "stars": da.near_stars(size),
            "star_sprites": da.near_star_sprites(size),
        }

    def _scales(self) -> dict[str, float]:
        return {
            "zoom_hi": self.scale_of(tl.ZOOM_VIEWS[0]),
            "zoom_lo": self.scale_of(tl.ZOOM_VIEWS[1]),
            "two": self.scale_of(tl.TWO_SHOT_VIEW),
            "close": self.scale_of(tl.CLOSE_UP_VIEW),
        }

    def _build_soyuz(self) -> dict:
        scales = self._scales()
        hi, two, close = scales["zoom_hi"], scales["two"], scales["close"]
        master = sc.soyuz_body(hi, ss=self._ss(hi, 8.6))
        soyuz_close = sc.soyuz_body(close, ss=self._ss(close, 5.2), box=(-4.7, 0.42, -2.6, 2.6))
        # The close-up's camera is locked off: the sky and Soyuz make one picture.
        picture = self._layer("background")["sky"].copy()
        cam = tl.CLOSE_UP_CAMERA
        for layer in self._stars(cam):
            layer.draw(picture)
        soyuz_close.blit_at(picture, self._to_screen(cam, 0.0, 0.0))
        return {
            "zoom": ZoomSprite(master, hi, scales["zoom_lo"]),
            "two": self._rle(sc.soyuz_body(two, ss=self._ss(two, 8.6))),
            "close_picture": da.finish_rgb(picture),
        }

    def _build_apollo(self) -> dict:
        scales = self._scales()
        hi, two, close = scales["zoom_hi"], scales["two"], scales["close"]
        close_box = (-5.0, 0.12, -2.35, 2.35)
        return {
            "zoom": ZoomSprite(sc.apollo_body(hi, ss=self._ss(hi, 14)), hi, scales["zoom_lo"]),
            "ring_zoom": ZoomSprite(sc.apollo_ring(hi), hi, scales["zoom_lo"]),
            "two": self._rle(sc.apollo_body(two, ss=self._ss(two, 14))),
            "ring_two": self._rle(sc.apollo_ring(two)),
            "close": self._rle(sc.apollo_body(close, ss=self._ss(close, 5.2), box=close_box)),
            "ring_close": self._rle(sc.apollo_ring(close, ss=self._ss(close, 1.5))),
            "plumes": sc.plumes(sc.PLUME_LENGTH * hi),
            "glint": self._glint(),
        }

    def _glint(self) -> pygame.Surface:
        r = max(4, round(self.unit * 0.02))
        surface = pygame.Surface((2 * r, 2 * r))
        surface.fill((0, 0, 0))
        prim.glow(surface, (r, r), r, (255, 226, 170), 0.9, falloff=2.2)
        return da.finish_rgb(surface)

    @staticmethod
    def _rle(sprite: Sprite) -> Sprite:
        return Sprite(sc.finish(sprite.surface), sprite.anchor)

    def _build_hatch(self) -> dict:
        size = self.ctx.size
        return {
            "wall": da.hatch_wall(size),
            "geometry": da.hatchway(size),
            "cover": da.hatch_cover(size),
            "glow": self._glint(),
        }

    def _build_arms(self) -> dict:
        size = self.ctx.size
        return {"left": da.arm(size, -1), "right": da.arm(size, 1)}

    def _build_clasp(self) -> dict:
        return {"clasp": da.arm(self.ctx.size, 0, clasped=True)}

    def _build_eclipse(self) -> dict:
        size = self.ctx.size
        view = da.sun_view(size, tl.DISC_RATIO)
        sky = da.eclipse_sky(size)
        dx = tl.DISC_TO[0] - tl.DISC_FROM[0]
        dy = tl.DISC_TO[1] - tl.DISC_FROM[1]
        return {
            "sky": sky,
            "view": view,
            "corona": da.corona(sky, view),
            "glare": da.glare(view, size),
            "sun": da.sun_disc(view),
            "disc": self._rle(sc.apollo_end_on(view.disc_radius, math.atan2(dy, dx))),
        }

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw the docking ``t`` seconds after it started."""
        frame = tl.frame_at(t, self.grip_at)
        if frame.shot == "interior":
            key, background, layers = self._interior(frame)
        elif frame.shot == "eclipse":
            key, background, layers = self._eclipse(frame)
        else:
            key, background, layers = self._exterior(frame)
        layers += self._words(page, frame)
        text = self.text
        full = self.compositor.frame(
            surface, frame.t, key, background, (0, 0), text.area, [x for x in layers if x]
        )
        text.footer(surface, self.ctx.language(page.language), again=full)
        self._cue(frame.t)

    def _words(self, page: Page, frame: tl.DockingFrame) -> list[Layer | None]:
        lang = self.ctx.language(page.language)
        text = self.text
        layers: list[Layer | None] = []
        if frame.title:
            layers.append(text.title(lang))
        if frame.telemetry:
            layers += text.telemetry(lang, frame)
        for caption in frame.captions:
            key = caption.key
            if key == "closing":
                key = "closing_story" if self.leads_to_story else "closing_credits"
            layers.append(text.caption(lang, key, caption.shown))
        layers.append(text.progress(frame.t))
        return layers

    def _dim(self, image: pygame.Surface, k: float) -> pygame.Surface:
        """``image`` (light on black) with every channel multiplied by ``k`` (0–1)."""
        level = max(0, min(255, round(255 * k)))
        if level >= 255:
            return image
        grey = self._dimmed.get(image.get_size())
        if grey is None:
            grey = pygame.Surface(image.get_size())
            self._dimmed[image.get_size()] = grey
        grey.fill((level, level, level))
        out = image.copy()
        out.blit(grey, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
        return out

    # -- outside: the two craft over the Earth ---------------------------------------------

    def _exterior(self, frame: tl.DockingFrame) -> tuple[object, pygame.Surface, list]:
        cam, a = frame.camera, frame.approach
        assert cam is not None and a is not None
        s = self.unit / cam.view
        soyuz, apollo = self._layer("soyuz"), self._layer("apollo")
        kind = {"two": "two", "undock": "two", "close": "close"}.get(frame.shot, "zoom")
        layers: list[Layer | None] = []
        if kind == "close":
            key, background = "close", soyuz["close_picture"]
        else:
            key, background = "sky", self._layer("background")["sky"]
            layers += self._stars(cam)
        if kind == "zoom":
            layers.append(
                sprite_layer(("soyuz", s), soyuz["zoom"].at(s), self._to_screen(cam, 0, 0))
            )
            body, ring = apollo["zoom"].at(s), apollo["ring_zoom"].at(s)
        else:
            if kind == "two":
                layers.append(sprite_layer("soyuz", soyuz["two"], self._to_screen(cam, 0, 0)))
            body, ring = apollo[kind], apollo[f"ring_{kind}"]
        base = self._to_screen(cam, -a.gap, a.apollo_y)
        layers.append(sprite_layer(("apollo", kind, s), body, base))
        # Apollo's petals reach inside Soyuz's ring once the two meet: hidden there.
        inside = pygame.Rect(0, 0, round(self._to_screen(cam, 0, 0)[0]), self.ctx.size[1])
        layers.append(self._struts(base, s, a.ring, inside))
        face = (base[0] + a.ring * s, base[1])
        layers.append(self._clipped(sprite_layer(("ring", kind, s), ring, face), inside))
        for firing in frame.firings:
            layers.append(self._puff(firing, s, base))
        if frame.latch_glow > 0:
            layers += self._glints(frame.latch_glow, self._to_screen(cam, -a.gap + a.ring, 0), s)
        return key, background, layers

    @staticmethod
    def _clipped(layer: Layer, inside: pygame.Rect) -> Layer | None:
        """``layer`` restricted to ``inside``."""
        rect = layer.rect.clip(inside)
        if rect.w <= 0 or rect.h <= 0:
            return None

        def draw(surface: pygame.Surface) -> None:
            clip = surface.get_clip()
            surface.set_clip(clip.clip(inside))
            layer.draw(surface)
            surface.set_clip(clip)

        return Layer(layer.key, rect, draw, layer.atomic)

    def _struts(self, base: Point, s: float, ring: float, inside: pygame.Rect) -> Layer | None:
        length = ring * s
        if length < 1.5:
            return None
        b = (round(base[0]), round(base[1]))
        reach = sc.STRUT_RADIUS * s + 4
        rect = pygame.Rect(b[0] - 4, b[1] - reach, round(length) + 8, 2 * reach)
        layer = Layer(
            ("struts", b, ring, s),
            rect,
            lambda surf: sc.draw_struts(surf, b, s, ring),
            atomic=True,
        )
        return self._clipped(layer, inside)

    def _stars(self, cam: tl.Camera) -> list[Layer]:
        """The brighter, nearer stars, which drift as the camera pans."""
        bg = self._layer("background")
        w = self.ctx.size[0]
        u = self.unit
        sx = -cam.x * u * STAR_PARALLAX
        sprites = bg["star_sprites"]
        span_x = w * 1.5
        layers = []
        for i, star in enumerate(bg["stars"]):
            x = (star.x + sx + 0.25 * w) % span_x - 0.25 * w
            if -10 <= x <= w + 10:
                image = sprites[star.sprite]
                d = image.get_width() / 2
                layers.append(added(("star", i), image, (round(x - d), round(star.y - d))))
        return layers

    def _puff(self, firing: tl.Firing, s: float, base: Point) -> Layer | None:
        nx, ny = sc.nozzle(firing.quad, firing.exhaust)
        start = (base[0] + nx * s, base[1] + ny * s)
        length = sc.PLUME_LENGTH * s * (0.45 + 0.55 * firing.growth)
        if length < 3:
            return None
        direction = sc.EXHAUST_ON_SCREEN[firing.exhaust]
        master = self._layer("apollo")["plumes"][direction]
        w, h = master.get_size()
        k = length / max(w, h)
        size = (max(2, round(w * k)), max(2, round(h * k)))
        iw, ih = size
        ax, ay = {
            "right": (0, ih / 2),
            "left": (iw, ih / 2),
            "up": (iw / 2, ih),
            "down": (iw / 2, 0),
        }[direction]
        pos = (round(start[0] - ax), round(start[1] - ay))
        if not pygame.Rect(pos, size).colliderect(self.text.area):
            return None  # out of the picture (the close-up): nothing to scale
        image = self._dim(pygame.transform.scale(master, size), min(1.0, firing.strength))
        level = round(255 * min(1.0, firing.strength))
        return added(("puff", direction, level, size), image, pos)

    def _glints(self, strength: float, face: Point, s: float) -> list[Layer]:
        """Warm glints on the capture latches as they close."""
        glint = self._layer("apollo")["glint"]
        size = max(4, round(glint.get_width() * (0.5 + 0.5 * strength)))
        image = self._dim(pygame.transform.scale(glint, (size, size)), strength)
        layers = []
        for az in (60.0, 180.0, 300.0):
            th = math.radians(az)
            if math.sin(th) < -0.2:
                continue
            y = face[1] - sc.APAS_RADIUS * 0.93 * math.cos(th) * s
            pos = (round(face[0] - size / 2), round(y - size / 2))
            layers.append(added(("glint", size, round(255 * strength)), image, pos))
        return layers

    # -- inside: the hatch opens, two hands meet ---------------------------------------------

    def _interior(self, frame: tl.DockingFrame) -> tuple[object, pygame.Surface, list]:
        inside = frame.interior
        assert inside is not None
        layers_ = {**self._layer("hatch"), **self._layer("arms"), **self._layer("clasp")}
        geo: da.Hatchway = layers_["geometry"]
        layers: list[Layer | None] = []
        if inside.hatch < 1:
            cover: Sprite = layers_["cover"]
            cw, ch = cover.surface.get_size()
            width = round(cw * math.cos(inside.hatch * math.radians(86)))
            hinge = (geo.centre[0] - geo.inner * 1.06, geo.centre[1])
            if width >= cw:
                layers.append(sprite_layer("cover", cover, hinge))
            elif width > 1:
                image = pygame.transform.scale(cover.surface, (width, ch))
                left = round(hinge[0] - cover.anchor[0] * width / cw)
                pos = (left, round(hinge[1] - ch / 2))
                rect = pygame.Rect(pos, image.get_size())
                layers.append(Layer(("cover", width), rect, lambda s: s.blit(image, pos)))
        u = self.unit
        meet = geo.meet
        if inside.met:
            at = (meet[0], meet[1] + inside.shake * 0.12 * u)
            layers.append(sprite_layer("clasp", layers_["clasp"], at))
            flash = 1 - inside.clasp if inside.clasp < 1 else 0.0
            if flash > 0.02:
                glow = self._dim(layers_["glow"], flash)
                gw = glow.get_width()
                pos = (round(meet[0] - gw / 2), round(meet[1] - gw / 2))
                layers.append(added(("flash", round(255 * flash)), glow, pos))
        elif inside.reach > 0:
            w = self.ctx.size[0]
            away = (1 - inside.reach) * 0.62 * w
            for side, name in ((1, "right"), (-1, "left")):
                at = (meet[0] + side * away, meet[1] + away * 0.36)
                layers.append(sprite_layer(name, layers_[name], at))
        return "interior", layers_["wall"], layers

    # -- the eclipse: Apollo's disc over the Sun ---------------------------------------------

    def _eclipse(self, frame: tl.DockingFrame) -> tuple[object, pygame.Surface, list]:
        e = frame.eclipse
        assert e is not None
        layers_ = self._layer("eclipse")
        view: da.SunView = layers_["view"]
        layers: list[Layer | None] = []
        if e.corona > 0:
            corona: Sprite = layers_["corona"]
            alpha = round(255 * e.corona)

            def draw(surface: pygame.Surface, image=corona.surface, alpha=alpha) -> None:
                # (An opaque surface with alpha 255 takes SDL's slow path: use none.)
                image.set_alpha(alpha if alpha < 255 else None)
                surface.blit(image, pos)

            pos = (round(view.sun[0] - corona.anchor[0]), round(view.sun[1] - corona.anchor[1]))
            rect = pygame.Rect(pos, corona.surface.get_size())
            layers.append(Layer(("corona", alpha), rect, draw))
        if e.sun_visible > 0:
            layers.append(sprite_layer("sun", layers_["sun"], view.sun))
        r = view.disc_radius
        disc = (view.sun[0] + e.disc_x * r, view.sun[1] + e.disc_y * r)
        layers.append(sprite_layer("disc", layers_["disc"], disc))
        if e.sun_visible > 0.001:
            glare: Sprite = layers_["glare"]
            k = e.sun_visible**0.6  # the last sliver of Sun: the glare dims with it
            image = self._dim(glare.surface, k)
            pos = (round(view.sun[0] - glare.anchor[0]), round(view.sun[1] - glare.anchor[1]))
            layers.append(added(("glare", round(255 * k)), image, pos))
        return "eclipse", layers_["sky"], layers

    # -- sound --------------------------------------------------------------------------------

    def _cue(self, t: float) -> None:
        """Play the sounds the animation passed since the last frame (live play only)."""
        player = self.ctx.sound
        last, self._cue_t = self._cue_t, t
        if player is None or last is None or not 0 < t - last < 0.5:
            return
        for cue in tl.cues_between(last, t, self.grip_at):
            player.play(cue.name, cue.gain)
