// The chat page: sends each message to Rasa's REST channel and shows the replies.
// Every text goes into the page through textContent, never as HTML.
"use strict";

(() => {
  const WEBHOOK = document.querySelector('meta[name="doumi-webhook"]').content;
  const SENDER_KEY = "doumi.sender";
  const TRANSCRIPT_KEY = "doumi.transcript";
  const KEEP = 200; // messages kept for the next visit
  const TIMEOUT_MS = 30000;
  // A walkthrough step starts with "[제목] 2/6단계" on its own line (actions/replies.yml).
  const STEP = /^\[([^\]\n]+)\] (\d+)\/(\d+)단계\n/;
  const FAILED = "죄송해요, 지금 도우미에 연결하지 못했어요. 잠시 후 다시 시도해 주세요. 보내신 메시지는 그대로 있어요.";

  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  let transcript = [];
  let busy = false;

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function newSenderId() {
    // getRandomValues works on plain http too, unlike crypto.randomUUID.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function senderId() {
    let id = localStorage.getItem(SENDER_KEY);
    if (!id) {
      id = newSenderId();
      localStorage.setItem(SENDER_KEY, id);
    }
    return id;
  }

  function loadTranscript() {
    try {
      const saved = JSON.parse(localStorage.getItem(TRANSCRIPT_KEY) || "[]");
      return Array.isArray(saved) ? saved.filter((e) => e && typeof e.text === "string") : [];
    } catch (error) {
      return []; // a damaged entry: start afresh rather than show nothing at all
    }
  }

  function saveTranscript() {
    transcript = transcript.slice(-KEEP);
    try {
      localStorage.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript));
    } catch (error) {
      // Storage full or disabled: the chat still works, only the history is not kept.
    }
  }

  function progress(title, step, total) {
    const box = node("div", "progress");
    const label = node("p", "progress-label");
    label.append(node("span", "progress-title", title), node("span", "progress-step", `${step}/${total}단계`));
    const steps = node("div", "steps");
    steps.setAttribute("role", "progressbar");
    steps.setAttribute("aria-valuemin", "1");
    steps.setAttribute("aria-valuemax", String(total));
    steps.setAttribute("aria-valuenow", String(step));
    steps.setAttribute("aria-label", `${title} ${total}단계 중 ${step}단계`);
    for (let i = 1; i <= total; i += 1) steps.append(node("span", i <= step ? "done" : ""));
    box.append(label, steps);
    return box;
  }

  // The rating buttons (👍/👎 after an answer) go on a small line of their own.
  function choices(buttons) {
    const row = node("div", "choices");
    const rating = node("div", "rating");
    rating.append(node("span", "rating-label", "도움이 됐나요?"));
    for (const button of buttons) {
      const choice = node("button", "choice", button.title);
      choice.type = "button";
      choice.addEventListener("click", () => ask(button.title, button.payload));
      (button.payload.startsWith("/feedback") ? rating : row).append(choice);
    }
    if (rating.childElementCount > 1) row.append(rating);
    return row;
  }

  // One line per element, so that a wrapped bullet line stays indented under its bullet.
  function paragraph(text) {
    const p = node("p", "text");
    for (const line of text.split("\n")) p.append(node("span", line.startsWith("• ") ? "line bullet" : "line", line));
    return p;
  }

  // Only the latest turn's buttons are on the page: what was chosen shows as the user's message.
  function render(entry, active) {
    const item = node("div", `msg ${entry.from}`);
    const bubble = node("div", "bubble");
    // Screen readers announce who speaks; the bubbles' sides say it on screen.
    bubble.append(node("span", "visually-hidden", entry.from === "user" ? "나: " : "도우미: "));
    let text = entry.text;
    const step = entry.from === "bot" ? STEP.exec(text) : null;
    if (step) {
      bubble.append(progress(step[1], Number(step[2]), Number(step[3])));
      text = text.slice(step[0].length);
    }
    if (text) bubble.append(paragraph(text));
    item.append(bubble);
    if (active && entry.buttons && entry.buttons.length) item.append(choices(entry.buttons));
    log.append(item);
    return item;
  }

  // The log scrolls by itself, or (large text) the whole page does.
  function scrollDown() {
    const last = log.lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
  }

  function add(entry) {
    transcript.push(entry);
    saveTranscript();
    render(entry, true);
    scrollDown();
  }

  function retireChoices() {
    for (const row of log.querySelectorAll(".choices")) row.remove();
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
  }

  function showTyping() {
    const item = node("div", "msg bot typing");
    item.id = "typing";
    const bubble = node("div", "bubble");
    bubble.append(node("span", "dot"), node("span", "dot"), node("span", "dot"),
      node("span", "visually-hidden", "답변을 준비하고 있어요"));
    item.append(bubble);
    log.append(item);
    scrollDown();
  }

  function hideTyping() {
    const item = document.getElementById("typing");
    if (item) item.remove();
  }

  function showFailure(message) {
    const item = node("div", "msg notice");
    item.setAttribute("role", "alert");
    const bubble = node("div", "bubble");
    bubble.append(node("p", "text", FAILED));
    const retry = node("button", "retry", "다시 시도");
    retry.type = "button";
    retry.addEventListener("click", () => {
      log.focus();
      item.remove();
      deliver(message, true);
    });
    item.append(bubble, retry);
    log.append(item);
    scrollDown();
  }

  async function post(message) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(WEBHOOK, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: senderId(), message }),
        signal: abort.signal,
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const replies = await res.json();
      // An empty answer means the bot failed on the server side: worth a retry too.
      if (!Array.isArray(replies) || !replies.length) throw new Error("no answer");
      return replies;
    } finally {
      clearTimeout(timer);
    }
  }

  // After a button, focus goes to the reply's first button, or else back to the input.
  async function deliver(message, fromButton = false) {
    setBusy(true);
    showTyping();
    try {
      const replies = await post(message);
      hideTyping();
      for (const reply of replies) {
        const buttons = (reply.buttons || []).map((b) => ({ title: String(b.title), payload: String(b.payload) }));
        if (reply.text || buttons.length) add({ from: "bot", text: String(reply.text || ""), buttons });
      }
      if (fromButton) (log.querySelector(".choice") || input).focus();
    } catch (error) {
      hideTyping();
      showFailure(message);
    } finally {
      setBusy(false);
    }
  }

  // `shown` is what the user's bubble says (a button's title), `message` what Rasa gets.
  function ask(shown, message) {
    if (busy) return false;
    const fromButton = Boolean(document.activeElement && document.activeElement.closest(".choices"));
    // The pressed button is about to leave the page: hold focus on the log, not on the input,
    // which would open a phone's keyboard.
    if (fromButton) log.focus();
    retireChoices();
    add({ from: "user", text: shown });
    deliver(message, fromButton);
    return true;
  }

  // Grow with the text (up to the CSS max-height); empty, back to one line.
  function fitInput() {
    input.style.height = "";
    if (input.value) input.style.height = `${input.scrollHeight}px`;
  }

  function start() {
    log.replaceChildren();
    transcript = loadTranscript();
    let lastUser = -1;
    transcript.forEach((entry, i) => { if (entry.from === "user") lastUser = i; });
    transcript.forEach((entry, i) => render(entry, i > lastUser));
    scrollDown();
    if (!transcript.length) deliver("/greet");
  }

  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey) return;
    // This Enter ends an IME composition (Korean syllable still being built): leave it to the IME.
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    form.requestSubmit();
  });

  input.addEventListener("input", fitInput);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !ask(text, text)) return; // while waiting, the text stays in the box
    input.value = "";
    fitInput();
  });

  document.getElementById("restart").addEventListener("click", () => {
    if (busy || !window.confirm("지금까지의 대화를 지우고 새로 시작할까요?")) return;
    localStorage.removeItem(TRANSCRIPT_KEY);
    localStorage.setItem(SENDER_KEY, newSenderId());
    start();
    input.focus();
  });

  start();
})();
