"""The school's print window in a test (docs/campaigns.md, "Printing"): open it from a print
button of the campaign page, count its sheets, print it to PDF, close it. Shared by
tests/browser/test_school_campaign.py and bench/campaign_bench.py."""

from __future__ import annotations

from tests.browser.app_pages import AppPage, window_of

PRINT_STUB = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"


def open_print_window(app: AppPage, button: str) -> AppPage:
    """Press a print button: the letters open in the print window, a page of its own (opened
    with `noopener`, so a renderer process of its own). The browser's print dialog cannot be
    driven from a test (headless Chromium starts a print job that blocks `page.pdf`), so
    `window.print` only counts here; the test prints with `page.pdf`, and the window stays
    open because no `afterprint` comes. Returns the window once it has asked to print."""
    context = app.page.context
    context.add_init_script(PRINT_STUB)
    with context.expect_page() as opened:
        app.page.click(button)
    window = window_of(app, opened.value)
    window.page.wait_for_function("() => window.__printed === 1", timeout=120_000)
    assert "#" not in window.page.url  # the channel's name is dropped from the address
    assert app.page.eval_on_selector_all("#brieven [data-sheet]", "els => els.length") == 0
    return window


def sheets_in(window: AppPage) -> int:
    return int(window.page.eval_on_selector_all("#brieven [data-sheet]", "els => els.length"))


# What a sheet prints: its own text, then the text of each shared text image
# (js/school/sheet-text.js) as the SVG in its data: URL has it, which must be its `alt` too.
PRINTED_TEXT = """el => [el.innerText, ...[...el.querySelectorAll('img.rz-sheet-image')].map(i => {
  const img = i;
  // Without its <style>: parsing one here would be an inline style under the page's CSP.
  const svg = decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1))
    .replace(/<style[^]*style>/, '');
  const text = new DOMParser().parseFromString(svg, 'image/svg+xml')
    .querySelector('foreignObject').textContent;
  const words = (t) => t.replace(/\\s+/g, ' ').trim();
  const bare = (t) => words(t).replace(/ /g, '');
  if (bare(text) !== bare(img.alt)) throw new Error(`alt: ${img.alt}`);
  return words(text);
})].join('\\n')"""


def printed_text(window: AppPage, selector: str) -> str:
    return str(window.page.eval_on_selector(selector, PRINTED_TEXT))


def shared_images(window: AppPage) -> int:
    """How many different text images the sheets use (each is one image resource)."""
    return int(
        window.page.eval_on_selector_all(
            "#brieven [data-sheet] img.rz-sheet-image", "els => new Set(els.map(e => e.src)).size"
        )
    )


def window_pdf(window: AppPage) -> bytes:
    """The print window's sheets as a PDF. `page.pdf` sends `afterprint` too, which would
    close the window mid-print, so `window.close` only counts while it runs."""
    wp = window.page
    wp.evaluate("() => { window.__close = window.close; window.close = () => {}; }")
    pdf = wp.pdf(format="A4", print_background=False)  # print media, as the dialog
    wp.evaluate("() => { window.close = window.__close; }")
    return pdf


def closes_after_printing(window: AppPage) -> None:
    with window.page.expect_event("close"):
        window.page.evaluate("window.dispatchEvent(new Event('afterprint'))")
