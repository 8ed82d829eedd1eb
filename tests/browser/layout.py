"""A broken layout, found from the boxes the browser laid out rather than from pixels.

Run in the page, :data:`CHECK` looks at the elements a person reads or uses (form fields,
buttons, links, headings, labels, table cells, list items, paragraphs, images) that are visible,
and reports:

- **cut off**: one reaching past the viewport's right (or left) edge, or the page scrolling
  sideways at all. The nearest ancestor that scrolls sideways by design (``overflow-x: auto``
  or ``scroll``) or hides its overflow decides instead: inside a scroller nothing is cut off;
  inside a box that hides its overflow, one the box cuts short is (unless it ends in an
  ellipsis on purpose). Also one, or a ``span`` of text, that hides part of its own text
  (overflow hidden, no ellipsis or line clamp): a name cut mid-line in a calendar block.
- **overlapping**: two of them whose boxes intersect by more than :data:`SLACK_PX` both ways,
  when neither contains the other. Inline elements are compared line by line (a link wrapped
  over two lines is two boxes, not the rectangle around both).

Elements placed wholly off the screen on purpose (a "skip to content" link waiting for focus),
boxes of a pixel or two (visually hidden text) and what a closed ``<details>`` holds besides its
summary are left out.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

SLACK_PX = 2
"""Borders that touch and anti-aliased edges are not a broken layout."""

CHECK = """
(slack) => {
  const WATCHED = [
    'input:not([type=hidden])', 'select', 'textarea', 'button', 'a[href]', 'summary',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'label', 'legend', 'th', 'td', 'li', 'dt', 'dd',
    'p', 'img', 'svg', 'canvas', 'time', 'cite', 'strong', '.tag',
  ].join(',');
  const width = document.documentElement.clientWidth;
  const problems = [];

  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    else if (el.classList.length) name += '.' + [...el.classList].join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.alt || '')
      .replace(/\\s+/g, ' ').trim().slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const shown = (el) => {
    // Also false inside a closed <details>: its content is not rendered, yet keeps a box.
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const box = el.getBoundingClientRect();
    if (box.width <= slack || box.height <= slack) return false;
    return box.right + scrollX > 0;  // wholly left of the page: placed off-screen on purpose
  };
  const ancestors = function* (el) {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) yield up;
  };
  const scrollsSideways = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const clips = (el) => {
    const style = getComputedStyle(el);
    return [style.overflowX, style.overflowY].some((v) => v === 'hidden' || v === 'clip');
  };

  const ownText = (el) => [...el.childNodes].some(
    (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const elements = [...document.querySelectorAll(WATCHED)].filter(shown);
  const texts = [...document.querySelectorAll('span')]
    .filter((el) => !el.matches(WATCHED) && ownText(el) && shown(el));

  if (document.documentElement.scrollWidth > width + slack) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide ` +
      `in a ${width}px viewport`);
  }
  for (const el of [...elements, ...texts]) {
    const style = getComputedStyle(el);
    const ends = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
    if (clips(el) && ownText(el) && !ends && (el.scrollHeight > el.clientHeight + slack ||
        el.scrollWidth > el.clientWidth + slack)) {
      problems.push(`cut off: ${describe(el)} hides part of its own text`);
    }
    const box = el.getBoundingClientRect();
    // The nearest box that scrolls or clips decides: what a scroller holds is seen by
    // scrolling; what a clipping box holds must fit inside it.
    const clipper = [...ancestors(el)].find((up) => scrollsSideways(up) || clips(up));
    if (clipper && scrollsSideways(clipper)) continue;
    if (clipper) {
      const frame = clipper.getBoundingClientRect();
      const cut = box.right > frame.right + slack || box.left < frame.left - slack ||
        box.bottom > frame.bottom + slack || box.top < frame.top - slack;
      if (cut && getComputedStyle(el).textOverflow !== 'ellipsis') {
        problems.push(`cut off: ${describe(el)} is clipped by ${describe(clipper)}`);
      }
      continue;
    }
    const left = box.left + scrollX, right = box.right + scrollX;
    if (right > width + slack) {
      problems.push(`cut off: ${describe(el)} ends at ${Math.round(right)}px, past the ` +
        `viewport's right edge (${width}px)`);
    } else if (left < -slack) {
      problems.push(`cut off: ${describe(el)} starts at ${Math.round(left)}px, left of the page`);
    }
  }

  const boxes = elements.map((el) => {
    const inline = getComputedStyle(el).display === 'inline';
    const rects = inline ? [...el.getClientRects()] : [el.getBoundingClientRect()];
    return rects.filter((r) => r.width > slack && r.height > slack);
  });
  const clear = (a, b) => {
    const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return across <= slack || down <= slack;
  };
  for (let i = 0; i < elements.length; i++) {
    for (let j = i + 1; j < elements.length; j++) {
      const a = elements[i], b = elements[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (boxes[i].every((r) => boxes[j].every((s) => clear(r, s)))) continue;
      problems.push(`overlapping: ${describe(a)} and ${describe(b)}`);
    }
  }
  return problems;
}
"""


def layout_problems(page: Page) -> list[str]:
    """What is cut off or overlapping on the page as laid out now; empty when nothing is."""
    found: Any = page.evaluate(CHECK, SLACK_PX)
    assert isinstance(found, list)
    return [str(problem) for problem in found]
