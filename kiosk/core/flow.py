"""The exhibit's state machine: attract → chapters → docking → credits → attract.

Pure: no pygame, no hardware, no clock of its own.  Every method takes ``now``
(seconds, any monotonic origin), so tests drive a whole visit with an
injected clock.

Rules, in one place:

* **Attract**: Next starts the story; Dock or a handshake plays the docking,
  which is followed by the credits.
* **Chapter n**: Next goes on (after the last chapter: credits), Back goes back
  (before the first: attract).  On the docking chapter Dock or a handshake
  plays the docking; afterwards the story continues with the next chapter.
* **Docking**: plays for ``docking_seconds``; Dock jumps to the next of its
  scenes (``docking_marks``; from the last one it ends), Next skips to where
  it leads, Back returns to where it was started.  A handshake during
  ``grip_window`` is remembered as the visitor's grip (the hands meet then).
* **Credits**: Next (or ``credits_seconds`` without input) returns to attract;
  Back returns to the last chapter.
* **Language** cycles the language on any screen without losing the place.
* **Idle**: ``idle_timeout`` seconds without input return to attract from
  anywhere except a playing docking, and restore the default language.  The
  docking is exempt because it always ends by its own deadline (nothing in it
  waits for input), and the idle time counts from its end: a visitor who walks
  away is back at attract ``docking_seconds + idle_timeout`` after starting it
  from a chapter, or after the credits when it was started from attract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.core.events import Action, ExhibitState
from kiosk.docking import timeline as docking_timeline


class Screen(StrEnum):
    """The kinds of screen a visitor can see."""

    ATTRACT = "attract"
    CHAPTER = "chapter"
    DOCKING = "docking"
    CREDITS = "credits"


@dataclass(frozen=True, slots=True)
class Timings:
    """How long things take, in seconds (configurable)."""

    idle_timeout: float = 90.0
    docking_seconds: float = docking_timeline.TOTAL
    credits_seconds: float = 40.0
    transition_seconds: float = 0.6
    #: Seconds into the docking where its scenes start (Dock jumps to the next).
    docking_marks: tuple[float, ...] = docking_timeline.MARKS
    #: Seconds into the docking during which a handshake is the visitor's grip.
    grip_window: tuple[float, float] = docking_timeline.GRIP_WINDOW


@dataclass(frozen=True, slots=True)
class Page:
    """What is on screen, independent of time: the key a renderer caches by."""

    screen: Screen
    chapter: int = 0
    language: str = "en"


@dataclass(frozen=True, slots=True)
class FlowState:
    """A snapshot of the flow.

    ``entered_at`` is when the current screen was entered (the docking's clock);
    ``changed_at`` is when the page last changed visibly and ``previous`` the
    page shown before it, for the transition between the two.
    ``docking_return`` is the chapter a docking leads to (``None``: credits),
    ``docking_origin`` the chapter it was started from (``None``: attract),
    ``docking_grip`` the second of the docking at which the visitor gripped the
    hand during its grip window (``None``: not yet).
    """

    page: Page
    entered_at: float
    changed_at: float
    previous: Page | None = None
    docking_return: int | None = None
    docking_origin: int | None = None
    docking_grip: float | None = None

    @property
    def screen(self) -> Screen:
        """The kind of screen shown."""
        return self.page.screen


class Flow:
    """The visitor's journey through the exhibit.

    ``chapters`` is the number of chapters, ``dock_chapter`` the index of the
    chapter that offers the docking (or ``None``), ``languages`` the order of
    the Language button, ``default_language`` the one idle returns to.
    """

    def __init__(
        self,
        chapters: int,
        dock_chapter: int | None,
        languages: Sequence[str],
        default_language: str,
        timings: Timings,
        now: float,
    ) -> None:
        if chapters < 1:
            raise ValueError("the story needs at least one chapter")
        if not languages:
            raise ValueError("at least one language is needed")
        self.chapters = chapters
        self.dock_chapter = dock_chapter
        self.languages = tuple(languages)
        self.default_language = (
            default_language if default_language in self.languages else self.languages[0]
        )
        self.timings = timings
        self.last_input = now
        self._state = FlowState(
            page=Page(Screen.ATTRACT, 0, self.default_language), entered_at=now, changed_at=now
        )

    # -- reading -----------------------------------------------------------

    @property
    def state(self) -> FlowState:
        """The current state (immutable)."""
        return self._state

    @property
    def language(self) -> str:
        """The language the visitor is reading."""
        return self._state.page.language

    def can_dock(self) -> bool:
        """Whether Dock or a handshake would start the docking now."""
        page = self._state.page
        if page.screen is Screen.ATTRACT:
            return True
        return page.screen is Screen.CHAPTER and page.chapter == self.dock_chapter

    def exhibit_state(self) -> ExhibitState:
        """What the outputs (LEDs, status) need to know."""
        screen = self._state.page.screen
        return ExhibitState(
            screen=screen.value,
            can_back=screen is not Screen.ATTRACT,
            can_next=True,
            can_dock=self.can_dock() or screen is Screen.DOCKING,
            language=self.language,
            chapter=self._state.page.chapter if screen is Screen.CHAPTER else None,
        )

    def transition_progress(self, now: float) -> float:
        """0 → 1 over the transition after a page change (1 when none is running)."""
        if self._state.previous is None or self.timings.transition_seconds <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - self._state.changed_at) / self.timings.transition_seconds))

    def docking_time(self, now: float) -> float:
        """Seconds since the docking started (0 outside the docking)."""
        if self._state.page.screen is not Screen.DOCKING:
            return 0.0
        return max(0.0, now - self._state.entered_at)

    def is_animating(self, now: float) -> bool:
        """Whether the picture changes with time right now (else redraw only on change)."""
        return self._state.page.screen in (Screen.ATTRACT, Screen.DOCKING) or (
            self.transition_progress(now) < 1.0
        )

    def next_deadline(self, now: float) -> float | None:
        """The next time :meth:`tick` will change something by itself, if any."""
        state = self._state
        screen = state.page.screen
        if screen is Screen.DOCKING:
            return state.entered_at + self.timings.docking_seconds
        deadlines = []
        if screen is Screen.CREDITS:
            deadlines.append(self.last_input + self.timings.credits_seconds)
        if self._idle_applies():
            deadlines.append(self.last_input + self.timings.idle_timeout)
        return min(deadlines) if deadlines else None

    # -- changing ------------------------------------------------------------

    def handle(self, action: Action, now: float) -> bool:
        """Apply a visitor's action; return whether the page changed."""
        self.last_input = now
        before = self._state.page
        screen = before.screen
        if action is Action.LANGUAGE:
            self._set_language(self._next_language(), now)
        elif screen is Screen.DOCKING and action is Action.DOCK:
            self._skip_scene(now)
        elif screen is Screen.DOCKING and action is Action.HANDSHAKE:
            self._grip(now)
        elif action in (Action.DOCK, Action.HANDSHAKE):
            if self.can_dock():
                origin = before.chapter if screen is Screen.CHAPTER else None
                self._start_docking(origin, now)
        elif action is Action.NEXT:
            self._next(now)
        elif action is Action.BACK:
            self._back(now)
        return self._state.page != before

    def tick(self, now: float) -> bool:
        """Let time pass: end the docking, time out credits or idleness."""
        before = self._state.page
        screen = before.screen
        if screen is Screen.DOCKING:
            if now - self._state.entered_at >= self.timings.docking_seconds:
                self._finish_docking(now)
        elif screen is Screen.CREDITS and now - self.last_input >= self.timings.credits_seconds:
            self.reset(now)
        elif self._idle_applies() and now - self.last_input >= self.timings.idle_timeout:
            self.reset(now)
        return self._state.page != before

    def pages_one_press_away(self) -> list[Page]:
        """The pages Next, Back and Language would show now (most likely first), so
        they can be drawn ahead while the visitor reads."""
        page = self._state.page
        lang, other = page.language, self._next_language()
        pages: list[Page] = []
        if page.screen is Screen.CHAPTER:
            last = page.chapter + 1 >= self.chapters
            pages.append(
                Page(Screen.CREDITS, 0, lang)
                if last
                else Page(Screen.CHAPTER, page.chapter + 1, lang)
            )
            if page.chapter > 0:
                pages.append(Page(Screen.CHAPTER, page.chapter - 1, lang))
            pages.append(Page(Screen.CHAPTER, page.chapter, other))
        elif page.screen is Screen.CREDITS:
            pages += [Page(Screen.CHAPTER, self.chapters - 1, lang), Page(Screen.CREDITS, 0, other)]
        elif page.screen is Screen.ATTRACT:
            pages.append(Page(Screen.CHAPTER, 0, lang))
        return [p for p in pages if p != page]

    def reset(self, now: float) -> None:
        """Back to the attract loop in the default language (idle, errors, staff)."""
        self._go(Page(Screen.ATTRACT, 0, self.default_language), now)

    def set_language(self, code: str, now: float) -> bool:
        """Show language ``code``, keeping the place, as pressing Language until it
        shows would (staff ``lang``); return whether the page changed."""
        if code not in self.languages:
            raise ValueError(f"no language {code!r}; the flow has {', '.join(self.languages)}")
        if code == self.language:
            return False
        self.last_input = now
        self._set_language(code, now)
        return True

    def restore(self, place: Page, now: float) -> None:
        """Show on this flow the place another showed (``place``: its ``state.page``),
        as after a reload: its language if this flow has it, its chapter if it still
        exists, or the credits; anything else (a docking under way) restarts at the
        attract loop."""
        language = place.language if place.language in self.languages else self.language
        if place.screen is Screen.CHAPTER and place.chapter < self.chapters:
            page = Page(Screen.CHAPTER, place.chapter, language)
        elif place.screen is Screen.CREDITS:
            page = Page(Screen.CREDITS, 0, language)
        else:
            page = Page(Screen.ATTRACT, 0, language)
        if page != self._state.page:
            self.last_input = now
            self._go(page, now)

    def go_to_chapter(self, index: int, now: float) -> None:
        """Show chapter ``index`` (0-based); used by staff commands."""
        if not 0 <= index < self.chapters:
            raise IndexError(f"chapter {index + 1} does not exist (1–{self.chapters})")
        self.last_input = now
        self._go(Page(Screen.CHAPTER, index, self.language), now)

    # -- internals -----------------------------------------------------------

    def _idle_applies(self) -> bool:
        page = self._state.page
        if page.screen is Screen.DOCKING:
            return False
        return page.screen is not Screen.ATTRACT or page.language != self.default_language

    def _next_language(self) -> str:
        i = self.languages.index(self.language) if self.language in self.languages else -1
        return self.languages[(i + 1) % len(self.languages)]

    def _go(self, page: Page, now: float, **extra: int | None) -> None:
        old = self._state
        if page == old.page:
            return
        self._state = FlowState(
            page=page,
            entered_at=now
            if page.screen != old.page.screen or page.chapter != old.page.chapter
            else old.entered_at,
            changed_at=now,
            previous=old.page,
            docking_return=extra.get("docking_return"),
            docking_origin=extra.get("docking_origin"),
        )

    def _set_language(self, code: str, now: float) -> None:
        old = self._state
        if code == old.page.language:
            return
        page = replace(old.page, language=code)
        if old.page.screen is Screen.DOCKING:
            # Keep the animation's clock and where it leads; captions just switch.
            self._state = replace(old, page=page, previous=None)
        else:
            self._state = replace(old, page=page, previous=old.page, changed_at=now)

    def _start_docking(self, origin: int | None, now: float) -> None:
        if origin is None:
            target = None
        else:
            target = origin + 1 if origin + 1 < self.chapters else None
        self._go(
            Page(Screen.DOCKING, 0, self.language),
            now,
            docking_return=target,
            docking_origin=origin,
        )

    def _skip_scene(self, now: float) -> None:
        """Jump to the start of the docking's next scene (or end it from the last)."""
        t = self.docking_time(now)
        mark = next((m for m in self.timings.docking_marks if t < m), None)
        if mark is None or mark >= self.timings.docking_seconds:
            self._finish_docking(now)
        else:
            self._state = replace(self._state, entered_at=now - mark)

    def _grip(self, now: float) -> None:
        """Remember the visitor's first grip inside the grip window."""
        t = self.docking_time(now)
        start, end = self.timings.grip_window
        if self._state.docking_grip is None and start <= t < end:
            self._state = replace(self._state, docking_grip=t)

    def _finish_docking(self, now: float) -> None:
        target = self._state.docking_return
        self.last_input = now  # the visitor has been watching, not idle
        if target is None:
            self._go(Page(Screen.CREDITS, 0, self.language), now)
        else:
            self._go(Page(Screen.CHAPTER, target, self.language), now)

    def _next(self, now: float) -> None:
        page = self._state.page
        lang = page.language
        if page.screen is Screen.ATTRACT:
            self._go(Page(Screen.CHAPTER, 0, lang), now)
        elif page.screen is Screen.CHAPTER:
            if page.chapter + 1 < self.chapters:
                self._go(Page(Screen.CHAPTER, page.chapter + 1, lang), now)
            else:
                self._go(Page(Screen.CREDITS, 0, lang), now)
        elif page.screen is Screen.DOCKING:
            self._finish_docking(now)
        elif page.screen is Screen.CREDITS:
            self.reset(now)

    def _back(self, now: float) -> None:
        page = self._state.page
        lang = page.language
        if page.screen is Screen.CHAPTER:
            if page.chapter > 0:
                self._go(Page(Screen.CHAPTER, page.chapter - 1, lang), now)
            else:
                self._go(Page(Screen.ATTRACT, 0, lang), now)
        elif page.screen is Screen.DOCKING:
            origin = self._state.docking_origin
            if origin is None:
                self._go(Page(Screen.ATTRACT, 0, lang), now)
            else:
                self._go(Page(Screen.CHAPTER, origin, lang), now)
        elif page.screen is Screen.CREDITS:
            self._go(Page(Screen.CHAPTER, self.chapters - 1, lang), now)
