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
    var sizeOut = bar.querySelector("[data-gk-size-value]");
    var reader = setupReader(bar.querySelector(".gk-aids__reader"));

    function size() { return SIZES.indexOf(settings.size) >= 0 ? settings.size : 100; }
    function render() {
      var s = size();
      if (s === 100) root.removeAttribute("data-gk-size"); else root.setAttribute("data-gk-size", String(s));
      sizeOut.textContent = s + "%";
      // At a limit the button says it is unavailable but keeps the focus (aria-disabled, not
      // disabled): a key held down on A＋ must not move on to A− and shrink the text again.
      bar.querySelector('[data-gk-aid="smaller"]').setAttribute("aria-disabled", String(s === SIZES[0]));
      bar.querySelector('[data-gk-aid="larger"]').setAttribute("aria-disabled", String(s === SIZES[SIZES.length - 1]));
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
      if (!button || button.getAttribute("aria-disabled") === "true") return;
      var aid = button.getAttribute("data-gk-aid");
      if (aid === "smaller") step(-1);
      else if (aid === "larger") step(1);
      else if (aid === "reset") settings = { open: true };
      else settings[aid] = settings[aid] !== true;
      save(settings);
      render();
    });
    // Escape closes the panel (and so the reading bar), the focus back on its opener.
    bar.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || settings.open !== true) return;
      settings.open = false;
      save(settings);
      render();
      opener.focus();
    });
    render();
  }

  // Voice reading: the article's visible text, in short pieces (some browsers cut an utterance
  // off after about 15 seconds and never end it), in a Chinese voice of the browser's own — one
  // on this device where there is one: a network voice would send the page's text elsewhere.
  function setupReader(box) {
    var status = box.querySelector(".gk-aids__status");
    var buttons = {};
    Array.prototype.forEach.call(box.querySelectorAll("button[data-gk-read]"), function (b) {
      buttons[b.getAttribute("data-gk-read")] = b;
    });
    var synth = window.speechSynthesis;
    var queue = [], reading = false;
    var run = 0;  // the current reading; a late "end" of a cancelled one must not go on with it
    if (synth) synth.getVoices();  // some browsers load their voices only once asked

    function chineseVoice() {
      var voices = (synth && synth.getVoices()) || [];
      var chinese = voices.filter(function (v) { return /^(zh|cmn)([-_]|$)/i.test(v.lang); });
      function first(test) { for (var i = 0; i < chinese.length; i++) if (test(chinese[i])) return chinese[i]; return null; }
      var simplified = function (v) { return /^(zh|cmn)([-_](CN|Hans)|$)/i.test(v.lang); };
      return first(function (v) { return v.localService && simplified(v); }) ||
        first(function (v) { return v.localService; }) || null;
    }
    function whenVoicesLoaded(then) {
      // The list can still be loading on the first click: wait for it, a second at most.
      if (!synth || chineseVoice() || !synth.addEventListener) { then(); return; }
      var done = false;
      function finish() { if (!done) { done = true; synth.removeEventListener("voiceschanged", finish); then(); } }
      synth.addEventListener("voiceschanged", finish);
      setTimeout(finish, 1000);
    }
    // Disabling the focused button would drop the keyboard focus to the page's start: move it first.
    function state(isReading, isPaused, message, focus) {
      reading = isReading;
      var was = document.activeElement;
      buttons.start.disabled = isReading;
      buttons.pause.disabled = !isReading || isPaused;
      buttons.resume.disabled = !isReading || !isPaused;
      buttons.stop.disabled = !isReading;
      if (message !== undefined) status.textContent = message;
      if (focus) focus.focus();
      else if (box.contains(was) && was.disabled) (isReading ? buttons.stop : buttons.start).focus();
    }
    function sentences() {
      // innerText reads what is shown; for that moment (no paint happens in between) the parts
      // that are not the article's text are taken out by the stylesheet (html.gk-reading-text):
      // breadcrumbs and link rows, forms, drawings (their text versions stay), the zoom switch.
      var article = document.getElementById("gk-main");
      if (!article) return [];
      root.classList.add("gk-reading-text");
      var text = article.innerText;
      root.classList.remove("gk-reading-text");
      var out = [];
      text.replace(/[ \t\u00a0]+/g, " ").replace(/([。！？；!?;])/g, "$1\n").split(/\n+/).forEach(function (part) {
        part = part.trim();
        while (part.length > 50) {  // a long sentence: at a comma near its middle, or at 50
          var cut = Math.max(part.lastIndexOf("，", 50), part.lastIndexOf("、", 50), part.lastIndexOf("：", 50));
          cut = cut > 10 ? cut + 1 : 50;
          out.push(part.slice(0, cut));
          part = part.slice(cut).trim();
        }
        if (part) out.push(part);
      });
      return out;
    }
    function next(voice, mine) {
      if (!reading || mine !== run) return;
      var sentence = queue.shift();
      if (sentence === undefined) { state(false, false, "朗读完毕。"); return; }
      var utterance = new window.SpeechSynthesisUtterance(sentence);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      utterance.rate = 0.9;  // a little slower than the default: easier to follow
      utterance.onend = function () { next(voice, mine); };
      utterance.onerror = function (event) {
        if (mine === run && event.error !== "interrupted" && event.error !== "canceled") {
          state(false, false, "朗读中断：" + event.error);
        }
      };
      synth.speak(utterance);
    }
    function silence() {
      run += 1;
      queue = [];
      if (!synth) return;
      if (synth.paused) synth.resume();  // a paused engine stays paused across cancel()
      synth.cancel();
    }
    function stop(message, focus) {
      silence();
      state(false, false, message, focus);
    }

    buttons.start.addEventListener("click", function () {
      whenVoicesLoaded(function () {
        var voice = chineseVoice();
        if (!voice) {
          state(false, false, synth ? "本浏览器没有中文语音，无法朗读。可使用系统自带的读屏软件，或安装中文语音后再试。"
            : "本浏览器不支持语音朗读。可使用系统自带的读屏软件。");
          return;
        }
        silence();
        queue = sentences();
        if (!queue.length) { state(false, false, "本页没有可朗读的正文。"); return; }
        state(true, false, "正在朗读正文……", buttons.pause);
        next(voice, run);
      });
    });
    buttons.pause.addEventListener("click", function () { synth.pause(); state(true, true, "已暂停。", buttons.resume); });
    buttons.resume.addEventListener("click", function () { synth.resume(); state(true, false, "正在朗读正文……", buttons.pause); });
    buttons.stop.addEventListener("click", function () { stop("已停止。", buttons.start); });
    // Leaving the page ends the reading (the browser would otherwise read on over the next page),
    // and a page restored from the back-forward cache shows it stopped.
    window.addEventListener("pagehide", function () { if (reading) stop(""); });
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
