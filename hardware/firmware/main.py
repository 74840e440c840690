"""MicroPython entry point for the Raspberry Pi Pico inside the sculpted hand.

Copy this file and ``sensor_protocol.py`` to the root of the Pico's filesystem
(``mpremote cp main.py sensor_protocol.py :``).  Wiring and protocol:
``hardware/PROTOCOL.md``.  The loop samples the grip sensor every ``SAMPLE_MS``,
feeds the shared protocol logic, answers host commands arriving on USB serial and
drives the hand's LED and vibration motor with PWM.

Everything hardware-specific is in :class:`Board`; :func:`run` and :func:`main` take
their I/O as arguments so the tests can run them under CPython with stub ``machine``
and ``micropython`` modules.

The sensor must never stop on its own: :func:`main` disables Ctrl-C (a stray 0x03
byte on USB serial would otherwise drop it to the REPL), resets the board on any
exception (after writing the traceback to ``crash.txt``) and feeds a hardware
watchdog every loop, so a hang also ends in a reset.  Bridge ``SAFE_MODE_PIN`` to GND
at boot to skip all that and keep the REPL usable (e.g. for ``mpremote``).
"""

import sys
import time

import machine

try:
    import micropython
except ImportError:  # CPython without the test stub
    micropython = None

try:
    import sensor_protocol as sp  # on the Pico: both files in the filesystem root
except ImportError:  # under CPython (tests)
    from hardware.firmware import sensor_protocol as sp

HANDS = 1  # set to 2 when a second hand is wired
ADC_PINS = (26, 27)  # GP26 = ADC0 (hand 1), GP27 = ADC1 (hand 2)
LED_PINS = (15, 14)  # GP15, GP14: LED in each hand (through a transistor)
MOTOR_PINS = (16, 17)  # GP16, GP17: vibration motor driver in each hand
PWM_FREQ = 1000
SAMPLE_MS = 5
CALIBRATION_SAMPLES = 32
WDT_TIMEOUT_MS = 8000  # watchdog: reset if the loop stalls this long (RP2040 max 8388)
SAFE_MODE_PIN = 22  # GP22 (pin 29): bridged to GND (pin 28) at boot = maintenance mode
CRASH_LOG = "crash.txt"  # last unexpected exception, overwritten each time


def _ticks_ms():
    return time.ticks_ms()  # type: ignore[attr-defined]


def _ticks_diff(a, b):
    return time.ticks_diff(a, b)  # type: ignore[attr-defined]


class Board:
    """The Pico's pins: grip ADCs, LED and motor PWMs."""

    def __init__(self, hands=HANDS):
        self.hands = hands
        self.adcs = [machine.ADC(machine.Pin(pin)) for pin in ADC_PINS[:hands]]
        self.leds = [self._pwm(pin) for pin in LED_PINS[:hands]]
        self.motors = [self._pwm(pin) for pin in MOTOR_PINS[:hands]]
        self.buzz_until = [None] * hands
        self.buzz_ms = [None] * hands
        # The sensor rests at some small reading; measure it at boot (nobody is
        # holding the hand then) and count levels from there.
        self.baseline = []
        for adc in self.adcs:
            total = 0
            for _ in range(CALIBRATION_SAMPLES):
                total += adc.read_u16()
            self.baseline.append(total // CALIBRATION_SAMPLES)

    @staticmethod
    def _pwm(pin):
        pwm = machine.PWM(machine.Pin(pin))
        pwm.freq(PWM_FREQ)
        pwm.duty_u16(0)
        return pwm

    def level(self, hand):
        """Grip level of ``hand`` in per-mille above the resting baseline."""
        base = self.baseline[hand]
        raw = self.adcs[hand].read_u16()
        if raw <= base:
            return 0
        return min(1000, (raw - base) * 1000 // max(1, 65535 - base))

    def set_led(self, hand, level):
        self.leds[hand].duty_u16(level * 65535 // 1000)

    def buzz(self, hand, ms, strength):
        self.motors[hand].duty_u16(strength * 65535 // 100)
        self.buzz_ms[hand] = ms

    def service(self, now_ms):
        """Start timing new buzzes; stop motors whose buzz time is over."""
        for hand in range(self.hands):
            if self.buzz_ms[hand] is not None:
                self.buzz_until[hand] = now_ms + self.buzz_ms[hand]
                self.buzz_ms[hand] = None
            until = self.buzz_until[hand]
            if until is not None and now_ms >= until:
                self.motors[hand].duty_u16(0)
                self.buzz_until[hand] = None


def device_id():
    """The Pico's flash unique id as hex, or an empty string."""
    try:
        return "".join(sp.hex2(b) for b in machine.unique_id())
    except Exception:
        return ""


def run(
    board, core, read_available, write, ticks_ms, ticks_diff, wait_ms, max_loops=None, feed=None
):
    """The main loop.

    ``read_available()`` returns the bytes the host has sent (possibly empty),
    ``write(data)`` sends bytes, ``ticks_ms``/``ticks_diff`` are MicroPython's
    wrapping millisecond counter, ``wait_ms(n)`` sleeps, ``feed()`` (optional) feeds
    the watchdog once per iteration.  ``max_loops`` is for tests.
    """
    last = ticks_ms()
    now = 0  # monotonic milliseconds since boot, immune to ticks wrap-around
    for line in core.boot(now):
        write(line)
    loops = 0
    while max_loops is None or loops < max_loops:
        loops += 1
        if feed is not None:
            feed()
        tick = ticks_ms()
        now += ticks_diff(tick, last)
        last = tick
        out = []
        data = read_available()
        if data:
            out.extend(core.receive(data, now))
        for hand in range(board.hands):
            out.extend(core.sample(hand, board.level(hand), now))
        out.extend(core.tick(now))
        board.service(now)
        for line in out:
            write(line)
        wait_ms(SAMPLE_MS)
    return now


def _usb_reader():
    import select

    poller = select.poll()
    poller.register(sys.stdin, select.POLLIN)

    def read_available():
        data = bytearray()
        while len(data) < sp.MAX_LINE and poller.poll(0):
            data.extend(sys.stdin.buffer.read(1))
        return bytes(data)

    return read_available


def safe_mode():
    """True if ``SAFE_MODE_PIN`` is bridged to GND: leave Ctrl-C and the REPL alone."""
    try:
        return machine.Pin(SAFE_MODE_PIN, machine.Pin.IN, machine.Pin.PULL_UP).value() == 0
    except Exception:
        return False


def log_crash(exc, path=CRASH_LOG):
    """Write ``exc`` with its traceback to ``path`` on the flash; never raises.

    Not to stdout: that is the protocol channel to the host.
    """
    try:
        with open(path, "w") as f:
            f.write("sensor firmware crashed, board reset: " + repr(exc) + "\n")
            print_exception = getattr(sys, "print_exception", None)  # MicroPython only
            if print_exception is not None:
                print_exception(exc, f)
    except Exception:
        pass


def main(
    read_available=None,
    write=None,
    ticks_ms=_ticks_ms,
    ticks_diff=_ticks_diff,
    wait_ms=None,
    max_loops=None,
    crash_log=CRASH_LOG,
):
    """Start the sensor; never returns on the Pico (the arguments are for tests).

    Disables Ctrl-C, starts the watchdog, runs the loop, and on any exception logs
    it to ``crash_log`` and resets the board.  In safe mode it returns at once.
    """
    if safe_mode():
        return None
    if micropython is not None:
        micropython.kbd_intr(-1)  # 0x03 from the host is data, not KeyboardInterrupt
    wdt = machine.WDT(timeout=WDT_TIMEOUT_MS)
    try:
        board = Board()
        core = sp.SensorCore(
            hands=board.hands, device_id=device_id(), set_led=board.set_led, buzz=board.buzz
        )
        if read_available is None:
            read_available = _usb_reader()
        if write is None:
            write = sys.stdout.buffer.write  # raw: no LF -> CRLF translation
        if wait_ms is None:
            wait_ms = time.sleep_ms  # type: ignore[attr-defined]
        return run(
            board,
            core,
            read_available,
            write,
            ticks_ms,
            ticks_diff,
            wait_ms,
            max_loops=max_loops,
            feed=wdt.feed,
        )
    except BaseException as exc:  # anything, even KeyboardInterrupt: never stop
        log_crash(exc, crash_log)
        machine.reset()
    return None


if __name__ == "__main__":
    main()
