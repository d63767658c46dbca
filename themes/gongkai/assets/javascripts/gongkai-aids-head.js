// Runs in <head>, before the page paints: the reader's 适老化 settings (kept by gongkai-aids.js
// in localStorage) go onto <html> as attributes the stylesheet reads, so every page opens in
// them without a flash of the defaults. Nothing else happens here; the toolbar is gongkai-aids.js.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("gk-js");
  var settings = {};
  try {
    settings = JSON.parse(window.localStorage.getItem("gongkai.aids") || "{}") || {};
  } catch (e) {
    settings = {};  // storage off (private mode, file: in some browsers) or a damaged value
  }
  var sizes = [100, 125, 150, 175, 200];
  if (sizes.indexOf(settings.size) > 0) root.setAttribute("data-gk-size", String(settings.size));
  ["contrast", "cursor", "simple", "speech", "open"].forEach(function (name) {
    if (settings[name] === true) root.classList.add("gk-" + name);
  });
})();
