// The 适老化 toolbar: text size, high contrast, a large cursor, a simple one-column view and
// voice reading of the page's main content with the browser's own speech synthesis. Settings
// are kept in localStorage ("gongkai.aids") and applied on every page by gongkai-aids-head.js.
// Nothing is fetched; with no Chinese voice in the browser the reader says so instead.
(function () {
  "use strict";
  var KEY = "gongkai.aids";
  var SIZES = [100, 125, 150, 175, 200];
  var TOGGLES = ["contrast", "cursor", "simple", "speech"];
  var root = document.documentElement;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(settings) {
    try { window.localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* kept for this page only */ }
  }

  function setup(bar) {
    var settings = load();
    var panel = bar.querySelector(".gk-aids__panel");
    var opener = bar.querySelector(".gk-aids__open");
    var sizeOut = bar.querySelector(".gk-aids__size");
    var reader = setupReader(bar.querySelector(".gk-aids__reader"));

    function size() { return SIZES.indexOf(settings.size) >= 0 ? settings.size : 100; }
    function render() {
      var s = size();
      if (s === 100) root.removeAttribute("data-gk-size"); else root.setAttribute("data-gk-size", String(s));
      sizeOut.textContent = s + "%";
      bar.querySelector('[data-gk-aid="smaller"]').disabled = s === SIZES[0];
      bar.querySelector('[data-gk-aid="larger"]').disabled = s === SIZES[SIZES.length - 1];
      TOGGLES.forEach(function (name) {
        var on = settings[name] === true;
        root.classList.toggle("gk-" + name, on);
        bar.querySelector('[data-gk-aid="' + name + '"]').setAttribute("aria-pressed", on ? "true" : "false");
      });
      var open = settings.open === true;
      root.classList.toggle("gk-open", open);
      panel.hidden = !open;
      opener.setAttribute("aria-expanded", open ? "true" : "false");
      reader.show(open && settings.speech === true);
    }
    function step(by) {
      var i = SIZES.indexOf(size()) + by;
      settings.size = SIZES[Math.max(0, Math.min(SIZES.length - 1, i))];
    }

    opener.addEventListener("click", function () {
      settings.open = settings.open !== true;
      save(settings);
      render();
    });
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-gk-aid]");
      if (!button) return;
      var aid = button.getAttribute("data-gk-aid");
      if (aid === "smaller") step(-1);
      else if (aid === "larger") step(1);
      else if (aid === "reset") settings = { open: true };
      else settings[aid] = settings[aid] !== true;
      save(settings);
      render();
      // A button disabled under the pointer or the keyboard would drop the focus to <body>.
      if (button.disabled) (aid === "smaller" ? bar.querySelector('[data-gk-aid="larger"]') : bar.querySelector('[data-gk-aid="smaller"]')).focus();
    });
    render();
  }

  // Voice reading: the article's visible text, sentence by sentence (long utterances are cut off
  // by some browsers), in a Chinese voice of the browser's own.
  function setupReader(box) {
    var status = box.querySelector(".gk-aids__status");
    var buttons = {};
    Array.prototype.forEach.call(box.querySelectorAll("button[data-gk-read]"), function (b) {
      buttons[b.getAttribute("data-gk-read")] = b;
    });
    var synth = window.speechSynthesis;
    var queue = [], reading = false, paused = false;

    function chineseVoice() {
      if (!synth) return null;
      var voices = synth.getVoices() || [];
      for (var i = 0; i < voices.length; i++) {
        if (/^zh([-_](CN|Hans)|$)/i.test(voices[i].lang)) return voices[i];
      }
      for (var j = 0; j < voices.length; j++) {
        if (/^(zh|cmn)/i.test(voices[j].lang)) return voices[j];
      }
      return null;
    }
    function state(isReading, isPaused, message) {
      reading = isReading;
      paused = isPaused;
      buttons.start.disabled = isReading;
      buttons.pause.disabled = !isReading || isPaused;
      buttons.resume.disabled = !isReading || !isPaused;
      buttons.stop.disabled = !isReading;
      if (message !== undefined) status.textContent = message;
    }
    function sentences() {
      // The article's own text: not its breadcrumbs and link rows (nav), a chart's drawing (its
      // text version follows it) or a form; innerText, so that what is hidden is not read.
      var article = document.getElementById("gk-main");
      var text = article ? Array.prototype.filter.call(article.children, function (child) {
        return !child.matches("nav, form, figure.gk-flowchart, script, style, [aria-hidden=true]");
      }).map(function (child) { return child.innerText; }).join("\n") : "";
      var parts = text.replace(/[ \t\u00a0]+/g, " ").split(/(?<=[。！？；!?;])|\n+/);
      var out = [];
      parts.forEach(function (part) {
        part = part.trim();
        while (part.length > 120) { out.push(part.slice(0, 120)); part = part.slice(120); }
        if (part) out.push(part);
      });
      return out;
    }
    function next(voice) {
      if (!reading) return;
      var sentence = queue.shift();
      if (sentence === undefined) { state(false, false, "朗读完毕。"); return; }
      var utterance = new window.SpeechSynthesisUtterance(sentence);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      utterance.rate = 0.9;  // a little slower than the default: easier to follow
      utterance.onend = function () { next(voice); };
      utterance.onerror = function (event) {
        if (event.error !== "interrupted" && event.error !== "canceled") state(false, false, "朗读中断：" + event.error);
      };
      synth.speak(utterance);
    }

    buttons.start.addEventListener("click", function () {
      var voice = chineseVoice();
      if (!voice) {
        state(false, false, synth ? "本浏览器没有中文语音，无法朗读。可使用系统自带的读屏软件，或安装中文语音后再试。"
          : "本浏览器不支持语音朗读。可使用系统自带的读屏软件。");
        return;
      }
      synth.cancel();
      queue = sentences();
      state(true, false, "正在朗读正文……");
      next(voice);
    });
    buttons.pause.addEventListener("click", function () { synth.pause(); state(true, true, "已暂停。"); buttons.resume.focus(); });
    buttons.resume.addEventListener("click", function () { synth.resume(); state(true, false, "正在朗读正文……"); buttons.pause.focus(); });
    function stop(message) {
      reading = false;
      queue = [];
      if (synth) synth.cancel();
      state(false, false, message);
    }
    buttons.stop.addEventListener("click", function () { stop("已停止。"); buttons.start.focus(); });
    // Leaving the page ends the reading (the browser would otherwise read on over the next page).
    window.addEventListener("pagehide", function () { if (synth) synth.cancel(); });
    state(false, false);
    return {
      show: function (on) {
        box.hidden = !on;
        if (!on && reading) stop("");
      }
    };
  }

  function init() {
    var bar = document.querySelector("[data-gk-aids]");
    if (bar) setup(bar);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
