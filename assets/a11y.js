/* Accessibility repairs for Dash 4's own components, applied in the browser as they mount.
 *
 * 1. dcc.Dropdown renders an invisible `<input class="dash-dropdown-focus-target" aria-hidden
 *    tabindex=0>` that receives the Tab key and passes focus on to the real trigger button (which
 *    has tabindex=-1). A focusable element hidden from assistive technology is a WCAG failure
 *    (axe: aria-hidden-focus), and the button is named only by its value. Here the proxy is made
 *    inert and the button itself takes part in the tab order, so keyboard users reach the same
 *    control directly and screen readers announce it.
 * 2. A control whose id has a `<label for=id>` gets that label as its accessible name: the
 *    dropdown's button ("Indicator: GDP per inhabitant..."), and the slider's thumb and its number
 *    box (shown when there is room), which Dash renders with no name at all.
 * Nothing here changes what the components do; it only adds names and fixes the tab order.
 */
(function () {
  "use strict";

  // Deterministic, so a label that React draws again gets the same id back on the next pass.
  function labelId(label) {
    if (!label.id) { label.id = "label-for-" + label.htmlFor; }
    return label.id;
  }

  function labelFor(id) {
    return id ? document.querySelector('label[for="' + CSS.escape(id) + '"]') : null;
  }

  function prependName(element, label) {
    var id = labelId(label);
    var current = element.getAttribute("aria-labelledby") || "";
    if (current.split(/\s+/).indexOf(id) === -1) {
      element.setAttribute("aria-labelledby", (id + " " + current).trim());
    }
  }

  function repair(root) {
    root.querySelectorAll("label[for]:not([id])").forEach(labelId);
    root.querySelectorAll(".dash-dropdown-focus-target:not([data-a11y])").forEach(function (proxy) {
      proxy.setAttribute("data-a11y", "1");
      proxy.inert = true;
      proxy.tabIndex = -1;
      var button = proxy.nextElementSibling;
      if (button && button.tagName === "BUTTON" && !button.disabled) {
        button.tabIndex = 0;
        var label = labelFor(button.id);
        if (label) { prependName(button, label); }
      }
    });
    root.querySelectorAll('[role="slider"]:not([data-a11y]), input.dash-range-slider-input:not([data-a11y])')
      .forEach(function (thumb) {
      var owner = thumb.closest("[id]");
      var label = owner && labelFor(owner.id);
      if (label) {
        thumb.setAttribute("data-a11y", "1");
        prependName(thumb, label);
      }
    });
  }

  function start() {
    repair(document);
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length) { repair(document); return; }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
