/*
 * Lotse website widget. Embed with one tag on any page:
 *
 *   <script src="https://LOTSE-HOST/static/widget.js" data-label="Fragen zur Anerkennung?" async></script>
 *
 * It adds a button in the page corner that opens the Lotse chat in a frame
 * served by the gateway (so the conversation, stored in the gateway origin's
 * localStorage, survives reloads of the host page). Keyboard: the button is a
 * real <button>; Escape closes the chat and returns focus to the button.
 * On narrow screens the chat fills the screen.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.getElementById("lotse-widget")) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var label = script.getAttribute("data-label") || "Lotse";

  var style = document.createElement("style");
  style.textContent =
    "#lotse-widget{position:fixed;inset-inline-end:16px;inset-block-end:16px;z-index:2147483000;font:16px system-ui,sans-serif}" +
    "#lotse-open{min-height:48px;padding:0 20px;border:0;border-radius:24px;background:#0b5d45;color:#fff;font:inherit;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}" +
    "#lotse-open:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    "#lotse-panel{position:fixed;inset-inline-end:16px;inset-block-end:80px;width:380px;height:600px;max-height:calc(100vh - 100px);border:1px solid #999;border-radius:12px;overflow:hidden;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.3)}" +
    "#lotse-panel[hidden]{display:none}" +
    "#lotse-panel iframe{width:100%;height:100%;border:0}" +
    "@media (max-width:480px){#lotse-panel{inset:0;width:auto;height:auto;max-height:none;border-radius:0}}";
  document.head.appendChild(style);

  var root = document.createElement("div");
  root.id = "lotse-widget";
  var button = document.createElement("button");
  button.id = "lotse-open";
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "lotse-panel");
  var panel = document.createElement("div");
  panel.id = "lotse-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", label);
  var frame = null;

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = label;
      frame.src = origin + "/";
      panel.appendChild(frame);
    }
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  function close() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  button.addEventListener("click", function () {
    if (panel.hidden) open();
    else close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) close();
  });
  root.appendChild(panel);
  root.appendChild(button);
  document.body.appendChild(root);
})();
