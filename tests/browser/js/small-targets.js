// Interactive elements smaller than 44 x 44 px (tests/browser/test_youth_phone.py), except links
// inside running text (WCAG 2.5.8's inline exception). A checkbox or radio counts by its label
// row, which is what a thumb hits. Evaluated with page.evaluate(text).
(() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(el).visibility !== 'hidden'; };
  const inline = (el) => {
    const parent = el.parentElement;
    if (!parent || !['P', 'LI', 'DD', 'TD', 'SPAN', 'STRONG'].includes(parent.tagName)) return false;
    const d = getComputedStyle(parent).display;
    return !d.includes('flex') && !d.includes('grid') && parent.textContent.trim() !== el.textContent.trim();
  };
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!visible(el) || el.closest('.utrecht-skip-link') || el.classList.contains('utrecht-skip-link')) continue;
    if (el.tagName === 'A' && inline(el)) continue;
    const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el.closest('.rz-check, .rz-radio') ?? el) : el;
    const r = target.getBoundingClientRect();
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5) small.push(`${el.tagName}#${el.id}.${el.className} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
})
