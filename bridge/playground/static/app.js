// Bridge playground: several simulated Telegram users side by side, chatting with the real
// bot through the local sandbox Bot API server. Vanilla JS, no build step.
//
// Safety: message text reaches the page only as text nodes, or as the sandbox's sanitized
// HTML re-parsed here against an allow-list (nothing is ever assigned to innerHTML).
"use strict";

const REACTIONS = ["👍", "❤️", "🔥", "👏", "😂"];
const MAX_FILE = 20 * 1024 * 1024;
const ALLOWED_TAGS = new Set(["B", "STRONG", "I", "EM", "U", "INS", "S", "STRIKE", "DEL",
  "CODE", "PRE", "BLOCKQUOTE", "A", "SPAN", "BR"]);
const DROPPED_TAGS = new Set(["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "TEMPLATE",
  "NOSCRIPT", "SVG", "MATH"]);
const KIND_LABELS = {
  voice: "🎤 Voice message", video_note: "⏺ Video message", photo: "🖼 Photo",
  animation: "GIF", video: "🎬 Video", audio: "🎵 Audio", document: "📄 File",
  sticker: "Sticker", text: "", invoice: "🧾 Invoice", successful_payment: "⭐ Payment",
  refunded_payment: "⭐ Refund",
};

const state = {
  info: { bot: { username: "", first_name: "Bridge" }, commands: {}, seed: { available: false } },
  columns: new Map(), // user id → column
  users: new Map(), // user id → user, shown or hidden
  hidden: new Set(), // ids of the users whose column is hidden (kept by the server)
  cursor: 0,
  online: false,
};

// ---------------------------------------------------------------------------- helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, { method = "GET", body } = {}) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = typeof data === "string" ? data : (data.message || data.error || data.description
      || JSON.stringify(data));
    const error = new Error(message || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function formatDuration(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function formatTime(epoch) {
  if (!epoch) return "";
  const date = new Date(epoch * 1000);
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

function safeUrl(href) {
  try {
    const url = new URL(href, location.href);
    return ["http:", "https:", "mailto:", "tg:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function hashCode(text) {
  let hash = 0;
  for (const ch of String(text)) hash = (hash * 31 + ch.codePointAt(0)) | 0;
  return Math.abs(hash);
}

function plainSnippet(message) {
  if (!message) return "a message that is not shown here";
  if (message.deleted) return "deleted message";
  const text = (message.text ?? message.caption ?? "").replace(/\s+/g, " ").trim();
  const label = KIND_LABELS[message.kind] || "";
  const snippet = [label, text].filter(Boolean).join(" · ");
  return snippet.length > 90 ? `${snippet.slice(0, 89)}…` : snippet || "message";
}

function fullName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ");
}

const ICONS = {
  attach: "M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5",
  mic: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5.5 11.5a6.5 6.5 0 0 0 13 0M12 18v3",
  send: "M4 12l16-8-6 16-2.5-6.5z",
  videoNote: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM10 8.5v7l6-3.5z",
};

function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "svg-icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

// ---------------------------------------------------------------------------- toasts

function toast(text, { kind = "info", who = null, sticky = false } = {}) {
  const box = el("div", { className: `toast ${kind}`, role: kind === "error" ? "alert" : "status" },
    who ? el("b", { text: `${who}: ` }) : null,
    el("span", { text }));
  const close = () => box.remove();
  box.append(el("button", { className: "toast-close", type: "button", "aria-label": "Close",
    text: "×", onclick: close }));
  document.getElementById("toasts").append(box);
  setTimeout(close, sticky ? 12000 : 5000);
  return box;
}

// ---------------------------------------------------------------------------- safe HTML

function renderRich(target, message, column) {
  const html = typeof message.html === "string" ? message.html : null;
  if (html === null) {
    renderEntities(target, message.text ?? message.caption ?? "", message.entities || [], column,
      message.from_bot);
    return;
  }
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
  copySafe(doc.body, target, column, message.from_bot, false);
}

function copySafe(source, target, column, fromBot, inCode) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      appendText(target, node.data, column, fromBot && !inCode, !inCode);
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || DROPPED_TAGS.has(node.tagName)) continue;
    if (!ALLOWED_TAGS.has(node.tagName)) {
      copySafe(node, target, column, fromBot, inCode); // unknown tag: keep its text only
      continue;
    }
    const copy = document.createElement(node.tagName.toLowerCase());
    if (node.tagName === "A") {
      const href = safeUrl(node.getAttribute("href") || "");
      if (href) {
        copy.href = href;
        copy.target = "_blank";
        copy.rel = "noopener noreferrer";
        hookDeepLink(copy, href, column);
      }
    } else if (node.tagName === "SPAN") {
      if (node.classList.contains("spoiler") || node.classList.contains("tg-spoiler")) {
        copy.className = "spoiler";
        copy.title = "Spoiler: click to reveal";
        copy.addEventListener("click", () => copy.classList.add("revealed"));
      }
    }
    const code = inCode || node.tagName === "CODE" || node.tagName === "PRE" || node.tagName === "A";
    copySafe(node, copy, column, fromBot, code);
    target.append(copy);
  }
}

// Without the sandbox's HTML: the text and its entities (UTF-16 offsets, as JS strings).
const ENTITY_TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code",
  pre: "pre", blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span",
  text_link: "a", url: "a", email: "a", mention: "span", hashtag: "span", cashtag: "span",
  bot_command: "a", text_mention: "span", phone_number: "span" };

function renderEntities(target, text, entities, column, fromBot) {
  const sorted = entities.filter((e) => ENTITY_TAGS[e.type] && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const build = (parent, start, end, list, inCode) => {
    let position = start;
    let index = 0;
    while (index < list.length) {
      const entity = list[index];
      const from = Math.max(entity.offset, position);
      const to = Math.min(entity.offset + entity.length, end);
      const inside = [];
      index += 1;
      while (index < list.length && list[index].offset < to) inside.push(list[index++]);
      if (from >= to) continue;
      appendText(parent, text.slice(position, from), column, fromBot && !inCode, !inCode);
      const node = entityNode(entity, text.slice(from, to), column);
      const code = inCode || ["code", "pre", "text_link", "url", "email", "bot_command"].includes(entity.type);
      if (entity.type === "bot_command" || entity.type === "url" || entity.type === "email") {
        node.textContent = text.slice(from, to);
      } else {
        build(node, from, to, inside, code);
      }
      parent.append(node);
      position = to;
    }
    appendText(parent, text.slice(position, end), column, fromBot && !inCode, !inCode);
  };
  build(target, 0, text.length, sorted, false);
}

function entityNode(entity, content, column) {
  const node = document.createElement(ENTITY_TAGS[entity.type]);
  if (entity.type === "spoiler") {
    node.className = "spoiler";
    node.addEventListener("click", () => node.classList.add("revealed"));
  } else if (["mention", "hashtag", "cashtag", "text_mention", "phone_number"].includes(entity.type)) {
    node.className = "mention";
  } else if (entity.type === "bot_command") {
    node.className = "command";
    node.href = "#";
    node.title = `Send ${content}`;
    node.addEventListener("click", (event) => {
      event.preventDefault();
      if (column) sendText(column, content);
    });
  } else if (node.tagName === "A") {
    const raw = entity.type === "text_link" ? entity.url || ""
      : entity.type === "email" ? `mailto:${content}`
        : /^[a-z][a-z0-9+.-]*:/i.test(content) ? content : `http://${content}`;
    const href = safeUrl(raw);
    if (href) {
      node.href = href;
      node.target = "_blank";
      node.rel = "noopener noreferrer";
      hookDeepLink(node, href, column);
    }
  }
  return node;
}

// As in Telegram: bare URLs are links, and in the bot's messages /commands are clickable
// (a click sends the command).
const LINKIFY_RE = /(https?:\/\/[^\s<>"«»“”]+[^\s<>"«»“”.,;:!?)\]])|((?:^|(?<=[\s(«"“]))\/[A-Za-z][A-Za-z0-9_]{0,31}(?=$|[\s.,;:!?)»"”]))/g;

function appendText(target, text, column, inBotText, linkUrls = true) {
  if (!column || !linkUrls) {
    target.append(document.createTextNode(text));
    return;
  }
  let last = 0;
  for (const match of text.matchAll(LINKIFY_RE)) {
    const [found, url, command] = match;
    if (command && !inBotText) continue;
    target.append(document.createTextNode(text.slice(last, match.index)));
    if (url) {
      const href = safeUrl(url);
      const link = el("a", { href: href || "#", target: "_blank", rel: "noopener noreferrer", text: url });
      if (href) hookDeepLink(link, href, column);
      target.append(link);
    } else {
      target.append(el("a", { className: "command", href: "#", title: `Send ${command}`,
        text: command, onclick: (event) => { event.preventDefault(); sendText(column, command); } }));
    }
    last = match.index + found.length;
  }
  target.append(document.createTextNode(text.slice(last)));
}

// https://t.me/<bot>?start=<payload> opens the bot in Telegram: here it sends /start <payload>.
function hookDeepLink(anchor, href, column) {
  const bot = (state.info.bot.username || "").toLowerCase();
  if (!bot || !column) return;
  let url;
  try { url = new URL(href); } catch { return; }
  if (!["t.me", "telegram.me"].includes(url.hostname)) return;
  if (url.pathname.replace(/^\//, "").toLowerCase() !== bot) return;
  const payload = url.searchParams.get("start");
  anchor.title = payload ? `Send /start ${payload} to the bot` : "Open the bot";
  anchor.addEventListener("click", (event) => {
    event.preventDefault();
    sendText(column, payload ? `/start ${payload}` : "/start");
  });
}

// ---------------------------------------------------------------------------- columns

function addColumn(user) {
  if (state.columns.has(user.id)) {
    updateHeader(state.columns.get(user.id), user);
    return state.columns.get(user.id);
  }
  const column = { id: user.id, user, messages: new Map(), seq: 0, replyTo: null, editing: null,
    loading: null, again: false, recorder: null, pinned: true };
  const hue = hashCode(user.id) % 360;
  const initials = (user.first_name[0] || "?") + (user.last_name ? user.last_name[0] : "");
  column.avatar = el("div", { className: "avatar", "aria-hidden": "true", text: initials.toUpperCase() });
  column.avatar.style.background = `hsl(${hue} 55% 52%)`;
  column.title = el("div", { className: "who" });
  column.blockButton = el("button", { type: "button", className: "block-btn",
    onclick: () => toggleBlock(column) });
  column.hideButton = el("button", { type: "button", className: "hide-btn", text: "Hide",
    title: "Hide this user's column (bring it back from \"Hidden users\" at the top)",
    onclick: () => setHidden(column.user, true) });
  column.list = el("div", { className: "messages", role: "log", "aria-label": `${fullName(user)}'s chat` });
  // Stay at the newest message while it is shown: photos and videos get their height only
  // once loaded (load events don't bubble: listen in the capture phase).
  column.list.addEventListener("scroll", () => { column.pinned = nearBottom(column.list); });
  for (const type of ["load", "loadedmetadata", "error"]) {
    column.list.addEventListener(type, () => {
      if (column.pinned) column.list.scrollTop = column.list.scrollHeight;
    }, true);
  }
  column.empty = el("div", { className: "empty" },
    el("p", { text: "No messages yet." }),
    el("p", { className: "small", text: "Chats live in memory until the playground stops; "
      + "the network itself is kept in its database." }),
    el("button", { type: "button", className: "start-btn", text: "/start",
      onclick: () => sendText(column, "/start") }));
  column.list.append(column.empty);

  column.replyBar = el("div", { className: "reply-bar", hidden: true });
  column.suggestions = el("div", { className: "suggestions", hidden: true });
  column.input = el("textarea", { className: "input", rows: 1, placeholder: "Message or /command",
    "aria-label": `Message as ${user.first_name}` });
  column.input.addEventListener("keydown", (event) => onInputKey(column, event));
  column.input.addEventListener("input", () => onInputChange(column));
  column.fileInput = el("input", { type: "file", hidden: true,
    onchange: () => sendFile(column) });
  column.micButton = el("button", { type: "button", className: "icon mic-btn", title: "Record a voice message (click again to send)",
    "aria-label": "Record a voice message", onclick: () => toggleRecording(column) }, icon("mic"));
  column.sampleButton = el("button", { type: "button", className: "sample-btn",
    title: "Send a short generated voice message (no microphone needed)",
    text: "♪ Sample", onclick: () => sendSampleVoice(column) });
  column.videoNoteButton = el("button", { type: "button", className: "icon video-note-btn",
    title: "Send a sample video message (3 s, generated here; no camera needed)",
    "aria-label": "Send a sample video message", onclick: () => sendSampleVideoNote(column) },
  icon("videoNote"));
  const form = el("form", { className: "composer", onsubmit: (event) => {
    event.preventDefault();
    submit(column);
  } },
  el("button", { type: "button", className: "icon attach-btn", title: "Send a photo or a file",
    "aria-label": "Attach a photo or a file", onclick: () => column.fileInput.click() }, icon("attach")),
  column.fileInput, column.input, column.micButton, column.sampleButton, column.videoNoteButton,
  el("button", { type: "submit", className: "icon send-btn", title: "Send (Enter)",
    "aria-label": "Send" }, icon("send")));

  column.node = el("section", { className: "column", dataset: { userId: user.id,
    username: (user.username || "").toLowerCase() } },
  el("header", { className: "column-head" }, column.avatar, column.title, column.blockButton,
    column.hideButton),
  column.list, column.replyBar, column.suggestions, form);
  updateHeader(column, user);
  // In creation order (a column shown again goes back to its place).
  const later = [...state.columns.values()].find((other) => other.id > user.id);
  document.getElementById("columns").insertBefore(column.node, later ? later.node : null);
  state.columns.set(user.id, column);
  return column;
}

function removeColumn(userId) {
  const column = state.columns.get(userId);
  if (!column) return;
  if (column.recorder) column.recorder.stop();
  column.node.remove();
  state.columns.delete(userId);
}

function updateHeader(column, user) {
  column.user = user;
  column.title.replaceChildren(
    el("div", { className: "name", text: fullName(user) }),
    el("div", { className: "sub", text: [user.username ? `@${user.username}` : "no username",
      (user.language_code || "en").toUpperCase(), `id ${user.id}`,
      ...(user.stars !== undefined ? [`⭐ ${user.stars}`] : [])].join(" · ") }));
  column.node?.classList.toggle("blocked", Boolean(user.blocked));
  column.blockButton.textContent = user.blocked ? "Unblock bot" : "Block bot";
  column.blockButton.title = user.blocked
    ? "Unblock the bot (Telegram: Restart bot)"
    : "Block the bot, as a Telegram user can: the bot can no longer message this user";
}

async function refreshUsers() {
  const users = await api("/sandbox/users");
  for (const user of users) {
    state.users.set(user.id, user);
    if (state.hidden.has(user.id)) {
      removeColumn(user.id);
      continue;
    }
    const known = state.columns.has(user.id);
    const column = addColumn(user);
    if (!known) await refreshChat(column);
  }
  renderHiddenMenu();
}

// Hidden users: off the page, not out of the sandbox (their Telegram id stays theirs).
async function setHidden(user, hidden) {
  try {
    await api(`/api/users/${user.id}/hidden`, { method: "POST", body: { hidden } });
  } catch (error) {
    toast(`Could not ${hidden ? "hide" : "show"} ${user.first_name}: ${error.message}`, { kind: "error" });
    return;
  }
  if (hidden) {
    state.hidden.add(user.id);
    removeColumn(user.id);
    renderHiddenMenu();
    return;
  }
  state.hidden.delete(user.id);
  renderHiddenMenu();
  const column = addColumn(state.users.get(user.id) || user);
  await refreshChat(column);
  column.node.scrollIntoView({ behavior: "smooth", inline: "nearest" });
}

function renderHiddenMenu() {
  const menu = document.getElementById("hidden-users");
  const users = [...state.hidden].map((id) => state.users.get(id)).filter(Boolean);
  menu.hidden = users.length === 0;
  menu.querySelector("summary").textContent = `Hidden users (${users.length})`;
  menu.querySelector(".menu").replaceChildren(...users.map((user) => el("button", {
    type: "button", className: "show-user", dataset: { userId: user.id },
    title: `Show ${fullName(user)}'s column again`, text: `Show ${fullName(user)}`,
    onclick: () => setHidden(user, false) })));
  if (!users.length) menu.open = false;
}

// Fetches the messages that changed since the column's last seq (new, edited, reacted,
// deleted); one fetch at a time per column, repeated if more changes came meanwhile.
function refreshChat(column) {
  if (column.loading) {
    column.again = true;
    return column.loading;
  }
  column.loading = (async () => {
    do {
      column.again = false;
      const data = await api(`/sandbox/users/${column.id}/chat?after=${column.seq}`);
      for (const message of data.messages) upsert(column, message);
    } while (column.again);
  })().finally(() => { column.loading = null; });
  return column.loading;
}

function nearBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
}

function upsert(column, message) {
  const known = column.messages.get(message.message_id);
  column.seq = Math.max(column.seq, message.seq || 0);
  if (known && known.seq >= message.seq && known.seq !== 0) return;
  const stick = column.pinned || nearBottom(column.list) || (!known && !message.from_bot);
  column.messages.set(message.message_id, message);
  const node = renderMessage(column, message);
  const old = known && column.list.querySelector(`.msg[data-message-id="${message.message_id}"]`);
  if (old) {
    old.replaceWith(node);
  } else {
    column.empty.remove();
    const later = [...column.list.querySelectorAll(".msg")]
      .find((item) => Number(item.dataset.messageId) > message.message_id);
    column.list.insertBefore(node, later || null);
  }
  if (stick) {
    column.list.scrollTop = column.list.scrollHeight;
    column.pinned = true;
  }
}

// ---------------------------------------------------------------------------- messages

function renderMessage(column, message) {
  const mine = !message.from_bot;
  const node = el("div", { className: `msg ${mine ? "from-me" : "from-bot"} kind-${message.kind || "text"}`,
    dataset: { messageId: message.message_id } });
  if (message.deleted) {
    node.classList.add("deleted");
    node.append(el("div", { className: "bubble", text: "🗑 This message was deleted" }));
    return node;
  }
  const bubble = el("div", { className: "bubble" });
  if (message.forwarded_from) {
    bubble.append(el("div", { className: "forwarded", text: `Forwarded from ${message.forwarded_from}` }));
  }
  if (message.reply_to) bubble.append(renderQuote(column, message.reply_to));
  const media = renderMedia(message, column);
  if (media) bubble.append(media);
  if ((message.text ?? message.caption ?? "") !== "") {
    const text = el("div", { className: "text" });
    renderRich(text, message, column);
    bubble.append(text);
  }
  bubble.append(el("div", { className: "meta" },
    message.silent ? el("span", { className: "silent", title: "Sent silently", text: "🔕" }) : null,
    message.edited ? el("span", { className: "edited", title: editedTitle(message), text: "edited" }) : null,
    el("time", { text: formatTime(message.date) })));
  node.append(bubble);

  const reactions = renderReactions(column, message);
  if (reactions) node.append(reactions);
  if (!mine && Array.isArray(message.reply_markup) && message.reply_markup.length) {
    node.append(renderKeyboard(column, message));
  }
  node.append(el("div", { className: "actions" },
    el("button", { type: "button", className: "act act-reply", title: "Reply", "aria-label": "Reply",
      text: "↩", onclick: () => setReply(column, message.message_id) }),
    editable(message) ? el("button", { type: "button", className: "act act-edit", title: "Edit",
      "aria-label": "Edit", text: "✎", onclick: () => startEdit(column, message.message_id) }) : null,
    el("button", { type: "button", className: "act act-react", title: "React", "aria-label": "React",
      text: "☺", onclick: (event) => openPicker(column, message, event.currentTarget) })));
  return node;
}

// As in Telegram: a user edits the text (or the caption) of their own messages.
function editable(message) {
  if (message.from_bot || message.deleted) return false;
  return (message.kind || "text") === "text" || Boolean(message.caption);
}

function editedTitle(message) {
  if (!Array.isArray(message.edits) || !message.edits.length) return "Edited";
  return `Edited. Before: ${message.edits[message.edits.length - 1]}`;
}

function renderQuote(column, messageId) {
  const quoted = column.messages.get(messageId);
  const author = !quoted ? "" : quoted.from_bot ? (state.info.bot.first_name || "Bridge")
    : column.user.first_name;
  return el("button", { type: "button", className: "quote", title: "Show the replied message",
    onclick: () => {
      const target = column.list.querySelector(`.msg[data-message-id="${messageId}"]`);
      if (!target) return;
      target.scrollIntoView({ block: "center", behavior: "smooth" });
      target.classList.add("flash");
      setTimeout(() => target.classList.remove("flash"), 1200);
    } },
  el("b", { text: author || "Reply" }), el("span", { text: plainSnippet(quoted) }));
}

function fileUrl(message) {
  if (message.file_url) return message.file_url;
  return message.file_id ? `/sandbox/files/${encodeURIComponent(message.file_id)}` : null;
}

function renderMedia(message, column) {
  const kind = message.kind || "text";
  const url = fileUrl(message);
  switch (kind) {
    case "text":
      return null;
    case "voice":
      return renderVoice(message, url);
    case "video_note": {
      const video = el("video", { className: "round", preload: "metadata", playsinline: true, loop: true });
      if (url) video.src = url;
      const box = el("div", { className: "video-note", title: "Video message: click to play" },
        video, el("span", { className: "duration", text: formatDuration(message.duration) }));
      box.addEventListener("click", () => (video.paused ? video.play().catch(() => {}) : video.pause()));
      video.addEventListener("error", () => box.classList.add("no-media"));
      return box;
    }
    case "photo": {
      if (!url) return el("div", { className: "media-label", text: KIND_LABELS.photo });
      const img = el("img", { className: "photo", src: url, alt: message.caption || "Photo", loading: "lazy" });
      img.addEventListener("error", () => img.replaceWith(el("div", { className: "media-label", text: "🖼 Photo (no preview)" })));
      return el("a", { href: url, target: "_blank", rel: "noopener", title: "Open the photo" }, img);
    }
    case "video":
    case "animation": {
      const video = el("video", { className: "video", preload: "metadata", controls: kind === "video",
        muted: kind === "animation", autoplay: kind === "animation", loop: kind === "animation", playsinline: true });
      if (url) video.src = url;
      return el("div", { className: "video-box" }, video,
        el("span", { className: "media-label", text: `${KIND_LABELS[kind]} · ${formatDuration(message.duration)}` }));
    }
    case "audio": {
      const audio = el("audio", { controls: true, preload: "none" });
      if (url) audio.src = url;
      return el("div", { className: "audio-box" },
        el("div", { className: "media-label", text: `${KIND_LABELS.audio} ${message.file_name || ""} · ${formatDuration(message.duration)}` }), audio);
    }
    case "sticker":
      return el("div", { className: "sticker", text: message.emoji || "🏷", title: "Sticker" });
    case "invoice":
      return renderInvoice(message, column);
    case "successful_payment":
    case "refunded_payment": {
      const paid = message.payment || {};
      const what = kind === "refunded_payment" ? "refunded to your test Stars" : "paid with test Stars";
      return el("div", { className: "payment", title: `Charge ${paid.telegram_payment_charge_id || ""}`,
        text: `⭐ ${paid.total_amount} ${what}` });
    }
    default: {
      const name = message.file_name || "file";
      return url
        ? el("a", { className: "document", href: url, download: name, title: `Download ${name}` },
          el("span", { className: "doc-icon", text: "📄" }), el("span", { text: name }))
        : el("div", { className: "document" }, el("span", { className: "doc-icon", text: "📄" }), name);
    }
  }
}

// An invoice as Telegram shows it: title, description, price in Stars, and its Pay button
// (Telegram's own, not the bot's keyboard) until it is paid.
function renderInvoice(message, column) {
  const invoice = message.invoice || {};
  const box = el("div", { className: "invoice" },
    el("div", { className: "invoice-title", text: invoice.title || "" }),
    el("div", { className: "invoice-description", text: invoice.description || "" }),
    el("div", { className: "invoice-price", text: `⭐ ${invoice.total_amount}` }));
  if (message.paid) {
    box.append(el("div", { className: "invoice-paid", text: "✅ Paid" }));
  } else {
    box.append(el("button", { type: "button", className: "kb-btn pay",
      text: `Pay ⭐ ${invoice.total_amount}`, title: "Pay with test Stars (nothing real is charged)",
      onclick: (event) => pay(column, message, event.currentTarget) }));
  }
  return box;
}

function renderVoice(message, url) {
  const audio = el("audio", { preload: "none" });
  if (url) audio.src = url;
  const play = el("button", { type: "button", className: "play", "aria-label": "Play the voice message", text: "▶" });
  const bars = el("div", { className: "wave", "aria-hidden": "true" });
  let seed = hashCode(message.file_id || message.message_id);
  for (let i = 0; i < 28; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const bar = el("i");
    bar.style.height = `${20 + (seed % 80)}%`;
    bars.append(bar);
  }
  const duration = el("span", { className: "duration", text: formatDuration(message.duration) });
  const box = el("div", { className: "voice", title: "Voice message" }, play, bars, duration, audio);
  play.addEventListener("click", () => {
    if (!url) return toast("This voice message has no audio.", { kind: "warn" });
    if (audio.paused) audio.play().catch(() => toast("This voice message can't be played here.", { kind: "warn" }));
    else audio.pause();
  });
  audio.addEventListener("play", () => { play.textContent = "❚❚"; box.classList.add("playing"); });
  audio.addEventListener("pause", () => { play.textContent = "▶"; box.classList.remove("playing"); });
  audio.addEventListener("timeupdate", () => {
    duration.textContent = formatDuration(audio.currentTime);
    const done = audio.duration ? audio.currentTime / audio.duration : 0;
    [...bars.children].forEach((bar, i) => bar.classList.toggle("heard", i / 28 < done));
  });
  audio.addEventListener("ended", () => { duration.textContent = formatDuration(message.duration); });
  return box;
}

function renderReactions(column, message) {
  const reactions = message.reactions || {};
  const chips = [];
  for (const [who, emojis] of Object.entries(reactions)) {
    for (const emoji of emojis || []) {
      const mine = who === "user";
      chips.push(el("button", { type: "button", className: `reaction ${mine ? "mine" : "theirs"}`,
        title: mine ? "Your reaction (click to remove)" : `Reaction from ${who === "bot" ? "the bot" : who}`,
        text: emoji, onclick: mine ? () => react(column, message, null) : undefined }));
    }
  }
  return chips.length ? el("div", { className: "reactions" }, chips) : null;
}

function renderKeyboard(column, message) {
  const keyboard = el("div", { className: "keyboard" });
  for (const row of message.reply_markup) {
    const line = el("div", { className: "kb-row" });
    for (const button of row) {
      if (button.url) {
        const href = safeUrl(button.url);
        const link = el("a", { className: "kb-btn url", href: href || "#", target: "_blank",
          rel: "noopener noreferrer", title: button.url, text: `${button.text} ↗` });
        if (href) hookDeepLink(link, href, column);
        line.append(link);
      } else if (button.callback_data !== undefined && button.callback_data !== null) {
        line.append(el("button", { type: "button", className: "kb-btn", text: button.text,
          onclick: (event) => press(column, message, button, event.currentTarget) }));
      } else {
        line.append(el("button", { type: "button", className: "kb-btn", disabled: true,
          title: "This button type isn't simulated", text: button.text }));
      }
    }
    keyboard.append(line);
  }
  return keyboard;
}

// ---------------------------------------------------------------------------- actions

async function sendText(column, text, replyTo = column.replyTo) {
  const body = { text };
  if (replyTo) body.reply_to = replyTo;
  try {
    const message = await api(`/sandbox/users/${column.id}/send`, { method: "POST", body });
    clearReply(column);
    if (message && message.message_id) upsert(column, message);
    return true;
  } catch (error) {
    toast(`Could not send: ${error.message}`, { kind: "error", who: column.user.first_name });
    return false;
  }
}

async function submit(column) {
  const text = column.input.value.trim();
  if (!text) return;
  column.input.value = "";
  onInputChange(column);
  const sent = column.editing ? await sendEdit(column, column.editing, text)
    : await sendText(column, text);
  if (!sent && !column.input.value) {
    column.input.value = text; // not sent: give the text back
    onInputChange(column);
  }
}

function onInputKey(column, event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit(column);
  } else if (event.key === "Escape") {
    if (column.editing) {
      column.input.value = "";
      onInputChange(column);
    }
    clearReply(column);
    column.suggestions.hidden = true;
  } else if (event.key === "ArrowUp" && !column.input.value && !column.editing) {
    // As in Telegram: ↑ in an empty box edits your last message.
    const last = [...column.messages.values()].filter(editable)
      .sort((a, b) => b.message_id - a.message_id)[0];
    if (last) {
      event.preventDefault();
      startEdit(column, last.message_id);
    }
  }
}

async function sendEdit(column, messageId, text) {
  try {
    const message = await api(`/sandbox/users/${column.id}/edit`, { method: "POST",
      body: { message_id: messageId, text } });
    clearReply(column);
    if (message && message.message_id) upsert(column, message);
    return true;
  } catch (error) {
    toast(`Could not edit: ${error.message}`, { kind: "error", who: column.user.first_name });
    return false;
  }
}

function startEdit(column, messageId) {
  const message = column.messages.get(messageId);
  if (!message || !editable(message)) return;
  keepPinned(column, () => {
    showBar(column, "Edit message", message);
    column.replyTo = null;
    column.editing = messageId;
    column.input.value = message.kind === "text" || !message.kind ? message.text || ""
      : message.caption || "";
    updateComposer(column);
  });
  column.node.classList.add("editing");
  column.input.focus();
}

// Keeps the chat scrolled to the bottom when the composer area grows or shrinks.
function keepPinned(column, change) {
  const pinned = nearBottom(column.list);
  change();
  if (pinned) column.list.scrollTop = column.list.scrollHeight;
}

function onInputChange(column) {
  keepPinned(column, () => updateComposer(column));
}

function updateComposer(column) {
  const input = column.input;
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
  const value = input.value;
  if (!/^\/\w*$/.test(value)) {
    column.suggestions.hidden = true;
    return;
  }
  if (value === "/") refreshInfo(); // the bot may have changed its commands
  const language = column.user.language_code || "";
  const own = (state.info.chat_commands || {})[String(column.id)] || {};
  const commands = own[language] || own[""] || state.info.commands[language]
    || state.info.commands[""] || [];
  const matching = commands.filter((c) => `/${c.command}`.startsWith(value.toLowerCase())).slice(0, 8);
  column.suggestions.replaceChildren(...matching.map((c) => el("button", { type: "button",
    className: "suggestion", onclick: () => {
      input.value = `/${c.command} `;
      column.suggestions.hidden = true;
      input.focus();
    } }, el("b", { text: `/${c.command}` }), el("span", { text: c.description }))));
  column.suggestions.hidden = matching.length === 0;
}

let infoRequest = null;

function refreshInfo() {
  if (infoRequest) return;
  infoRequest = api("/api/info")
    .then((info) => { state.info = info; })
    .catch(() => {})
    .finally(() => { infoRequest = null; });
}

function setReply(column, messageId) {
  keepPinned(column, () => showReply(column, messageId));
  column.input.focus();
}

function showReply(column, messageId) {
  if (column.editing) {
    column.input.value = "";
    updateComposer(column);
  }
  showBar(column, "Reply to", column.messages.get(messageId));
  column.editing = null;
  column.node.classList.remove("editing");
  column.replyTo = messageId;
}

// The bar above the composer: what the next message replies to, or which one it edits.
function showBar(column, label, message) {
  column.replyBar.replaceChildren(
    el("div", { className: "reply-info" }, el("b", { text: `${label} ` }),
      el("span", { text: plainSnippet(message) })),
    el("button", { type: "button", className: "icon", "aria-label": `Cancel: ${label.toLowerCase()}`,
      text: "×", onclick: () => {
        if (column.editing) {
          column.input.value = "";
          onInputChange(column);
        }
        clearReply(column);
      } }));
  column.replyBar.hidden = false;
}

function clearReply(column) {
  column.replyTo = null;
  column.editing = null;
  column.node.classList.remove("editing");
  column.replyBar.hidden = true;
  column.replyBar.replaceChildren();
}

async function press(column, message, button, node) {
  node.disabled = true;
  node.classList.add("busy");
  try {
    const result = await api(`/sandbox/users/${column.id}/press`, { method: "POST",
      body: { message_id: message.message_id, callback_data: button.callback_data } });
    const answer = result && result.answer;
    if (!answer) {
      toast("The bot did not answer the button in time.", { kind: "warn", who: column.user.first_name });
    } else if (answer.text) {
      toast(answer.text, { kind: answer.show_alert ? "alert" : "info", who: column.user.first_name,
        sticky: Boolean(answer.show_alert) });
    } else if (answer.url) {
      toast(`The bot opened ${answer.url}`, { who: column.user.first_name });
    }
  } catch (error) {
    toast(`Button failed: ${error.message}`, { kind: "error", who: column.user.first_name });
  } finally {
    node.disabled = false;
    node.classList.remove("busy");
  }
}

// Pay an invoice with the user's test Stars: the bot's pre-checkout answer decides.
async function pay(column, message, node) {
  node.disabled = true;
  node.classList.add("busy");
  try {
    const result = await api(`/sandbox/users/${column.id}/pay`, { method: "POST",
      body: { message_id: message.message_id } });
    updateHeader(column, { ...column.user, stars: result.stars });
    if (result.ok) {
      toast(`Paid ⭐ ${message.invoice.total_amount} — ${result.stars} test Stars left`,
        { who: column.user.first_name });
    } else {
      toast(`Payment failed: ${result.error}`, { kind: "alert", who: column.user.first_name, sticky: true });
    }
  } catch (error) {
    toast(`Payment failed: ${error.message}`, { kind: "error", who: column.user.first_name });
  } finally {
    node.disabled = false;
    node.classList.remove("busy");
  }
}

let openedPicker = null;

function closePicker() {
  if (openedPicker) openedPicker.remove();
  openedPicker = null;
}

function openPicker(column, message, anchor) {
  const same = openedPicker && openedPicker.dataset.messageId === String(message.message_id)
    && openedPicker.dataset.userId === String(column.id);
  closePicker();
  if (same) return;
  const current = (message.reactions && message.reactions.user) || [];
  const picker = el("div", { className: "picker", role: "menu",
    dataset: { messageId: message.message_id, userId: column.id } },
  REACTIONS.map((emoji) => el("button", { type: "button", role: "menuitem",
    className: current.includes(emoji) ? "chosen" : "", title: current.includes(emoji) ? "Remove" : `React ${emoji}`,
    text: emoji, onclick: () => {
      closePicker();
      react(column, message, current.includes(emoji) ? null : emoji);
    } })));
  anchor.closest(".msg").append(picker);
  openedPicker = picker;
}

document.addEventListener("click", (event) => {
  if (openedPicker && !event.target.closest(".picker") && !event.target.closest(".act-react")) {
    closePicker();
  }
});

async function react(column, message, emoji) {
  try {
    await api(`/sandbox/users/${column.id}/react`, { method: "POST",
      body: { message_id: message.message_id, emoji } });
    refreshChat(column).catch(() => {});
  } catch (error) {
    toast(`Reaction failed: ${error.message}`, { kind: "error", who: column.user.first_name });
  }
}

async function toggleBlock(column) {
  const blocked = !column.user.blocked;
  try {
    await api(`/sandbox/users/${column.id}/block`, { method: "POST", body: { blocked } });
    updateHeader(column, { ...column.user, blocked });
    toast(blocked ? "Blocked the bot: it can no longer message this user."
      : "Unblocked the bot.", { who: column.user.first_name });
  } catch (error) {
    toast(`Could not change the block: ${error.message}`, { kind: "error" });
  }
}

// ---------------------------------------------------------------------------- media

function blobToBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

async function sendMedia(column, { kind, blob, duration, length, mimeType, fileName, caption }) {
  const body = { kind };
  if (duration !== undefined) body.duration = duration;
  if (length !== undefined) body.length = length;
  if (caption) body.caption = caption;
  if (fileName) body.file_name = fileName;
  if (mimeType) body.mime_type = mimeType;
  if (column.replyTo) body.reply_to = column.replyTo;
  if (blob) body.data_base64 = await blobToBase64(blob);
  try {
    const message = await api(`/sandbox/users/${column.id}/media`, { method: "POST", body });
    clearReply(column);
    if (message && message.message_id) upsert(column, message);
  } catch (error) {
    toast(`Could not send the ${kind.replace("_", " ")}: ${error.message}`, { kind: "error",
      who: column.user.first_name });
  }
}

// A short melody as a 16-bit mono WAV, for voice messages without a microphone.
function sampleWav(seconds = 3, rate = 8000) {
  const count = seconds * rate;
  const buffer = new ArrayBuffer(44 + count * 2);
  const view = new DataView(buffer);
  const text = (offset, value) => [...value].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + count * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, count * 2, true);
  const notes = [523.25, 659.25, 783.99, 1046.5];
  const noteLength = count / notes.length;
  for (let i = 0; i < count; i += 1) {
    const note = Math.min(notes.length - 1, Math.floor(i / noteLength));
    const local = (i - note * noteLength) / rate;
    const envelope = Math.min(1, local * 60) * Math.exp(-2.5 * local);
    const sample = Math.sin(2 * Math.PI * notes[note] * (i / rate)) * 0.45 * envelope;
    view.setInt16(44 + i * 2, Math.round(sample * 32767), true);
  }
  return new Blob([buffer], { type: "audio/wav" });
}

async function sendSampleVoice(column) {
  column.sampleButton.disabled = true;
  try {
    await sendMedia(column, { kind: "voice", blob: sampleWav(3), duration: 3, mimeType: "audio/wav",
      fileName: "sample.wav" });
  } finally {
    column.sampleButton.disabled = false;
  }
}

// A round "video message" recorded from an animated canvas (MediaRecorder), no camera needed.
async function sampleVideoNoteBlob(initials, seconds = 3) {
  const canvas = document.createElement("canvas");
  canvas.width = 240;
  canvas.height = 240;
  if (!canvas.captureStream || !window.MediaRecorder) return null;
  const context = canvas.getContext("2d");
  const stream = canvas.captureStream(25);
  const type = ["video/webm;codecs=vp8", "video/webm;codecs=vp9", "video/webm", "video/mp4"]
    .find((candidate) => MediaRecorder.isTypeSupported(candidate)) || "";
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
  const stopped = new Promise((resolve) => recorder.addEventListener("stop", resolve));
  const started = performance.now();
  const draw = () => {
    const t = (performance.now() - started) / 1000;
    context.fillStyle = `hsl(${(200 + t * 60) % 360} 55% 45%)`;
    context.fillRect(0, 0, 240, 240);
    context.fillStyle = "rgba(255, 255, 255, .85)";
    context.beginPath();
    context.arc(120 + Math.cos(t * 3) * 50, 120 + Math.sin(t * 3) * 50, 26, 0, 2 * Math.PI);
    context.fill();
    context.font = "bold 56px sans-serif";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(initials, 120, 120);
  };
  draw();
  const timer = setInterval(draw, 40);
  recorder.start(250);
  await sleep(seconds * 1000);
  recorder.stop();
  await stopped;
  clearInterval(timer);
  stream.getTracks().forEach((track) => track.stop());
  return new Blob(chunks, { type: (recorder.mimeType || type || "video/webm").split(";")[0] });
}

async function sendSampleVideoNote(column) {
  const button = column.videoNoteButton;
  button.disabled = true;
  button.classList.add("recording");
  try {
    const initials = (column.user.first_name[0] || "?") + (column.user.last_name?.[0] || "");
    const blob = await sampleVideoNoteBlob(initials.toUpperCase(), 3);
    if (!blob) {
      toast("This browser can't record a video here.", { kind: "warn" });
      return;
    }
    await sendMedia(column, { kind: "video_note", blob, duration: 3, length: 240,
      mimeType: blob.type, fileName: "video_note.webm" });
  } finally {
    button.disabled = false;
    button.classList.remove("recording");
  }
}

async function toggleRecording(column) {
  if (column.recorder) {
    column.recorder.stop();
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
    toast("Recording isn't available in this browser: use ♪ Sample.", { kind: "warn" });
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    toast(`No microphone (${error.message || error.name}): use ♪ Sample instead.`, { kind: "warn" });
    return;
  }
  const type = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/webm", "audio/mp4"]
    .find((candidate) => MediaRecorder.isTypeSupported(candidate)) || "";
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  const started = performance.now();
  const timer = setInterval(() => {
    column.micButton.textContent = `● ${formatDuration((performance.now() - started) / 1000)}`;
  }, 250);
  recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
  recorder.addEventListener("stop", async () => {
    clearInterval(timer);
    stream.getTracks().forEach((track) => track.stop());
    column.recorder = null;
    column.micButton.classList.remove("recording");
    column.micButton.replaceChildren(icon("mic"));
    column.micButton.title = "Record a voice message (click again to send)";
    const mimeType = (recorder.mimeType || type || "audio/webm").split(";")[0];
    const blob = new Blob(chunks, { type: mimeType });
    const duration = Math.max(1, Math.round((performance.now() - started) / 1000));
    const extension = mimeType.includes("ogg") ? "ogg" : mimeType.includes("mp4") ? "m4a" : "webm";
    await sendMedia(column, { kind: "voice", blob, duration, mimeType, fileName: `voice.${extension}` });
  });
  recorder.start();
  column.recorder = recorder;
  column.micButton.classList.add("recording");
  column.micButton.title = "Recording: click to send";
}

async function sendFile(column) {
  const file = column.fileInput.files[0];
  column.fileInput.value = "";
  if (!file) return;
  if (file.size > MAX_FILE) {
    toast("That file is over 20 MB, the Bot API's download limit.", { kind: "warn" });
    return;
  }
  const type = file.type || "application/octet-stream";
  let kind = "document";
  if (type === "image/gif") kind = "animation";
  else if (type.startsWith("image/")) kind = "photo";
  else if (type.startsWith("video/")) kind = "video";
  else if (type.startsWith("audio/")) kind = "audio";
  const caption = column.input.value.trim();
  column.input.value = "";
  await sendMedia(column, { kind, blob: file, mimeType: type, fileName: file.name,
    caption: caption || undefined, duration: kind === "video" || kind === "audio" ? 0 : undefined });
}

// ---------------------------------------------------------------------------- top bar

async function addUser(form) {
  const data = Object.fromEntries(new FormData(form).entries());
  const body = { first_name: data.first_name.trim(), last_name: data.last_name.trim(),
    language_code: data.language_code || "en" };
  if (!body.first_name) return;
  body.username = data.username.trim() || suggestUsername(body.first_name, body.last_name);
  try {
    const user = await api("/sandbox/users", { method: "POST", body });
    const column = addColumn(user);
    await refreshChat(column);
    form.reset();
    column.node.scrollIntoView({ behavior: "smooth", inline: "end" });
    column.input.focus();
  } catch (error) {
    toast(`Could not add the user: ${error.message}`, { kind: "error" });
  }
}

function suggestUsername(first, last) {
  const base = `${first}${last ? `_${last}` : ""}`.normalize("NFKD").replace(/[^\w]/g, "")
    .toLowerCase().slice(0, 24) || "user";
  const taken = new Set([...state.columns.values()].map((c) => (c.user.username || "").toLowerCase()));
  let name = base.length >= 5 ? base : `${base}_tg`;
  for (let i = 2; taken.has(name); i += 1) name = `${base}${i}`;
  return name;
}

async function seed(button) {
  if (!state.info.seed.available) {
    toast("Seeding is unavailable in this checkout (no bridge.seed module).", { kind: "warn" });
    return;
  }
  button.disabled = true;
  try {
    let status = await api("/api/seed", { method: "POST", body: { n: 300 } });
    while (status.state === "running") {
      button.textContent = status.total
        ? `Seeding… ${status.done}/${status.total}` : `Seeding… ${Math.round(status.seconds)} s`;
      await sleep(800);
      status = await api("/api/seed");
    }
    toast(status.message || status.state, { kind: status.state === "done" ? "info" : "error" });
  } catch (error) {
    toast(error.message, { kind: error.status === 501 ? "warn" : "error" });
    if (error.status === 501) state.info.seed.available = false;
  } finally {
    button.disabled = false;
    button.textContent = "Seed demo network";
  }
}

function setOnline(online, text) {
  state.online = online;
  const status = document.getElementById("status");
  status.textContent = text || (online ? "live" : "reconnecting…");
  status.classList.toggle("online", online);
}

// ---------------------------------------------------------------------------- live updates

async function poll() {
  for (;;) {
    try {
      const data = await api(`/sandbox/events?after=${state.cursor}&timeout=25`);
      const events = data.events || [];
      if (data.last_seq < state.cursor) { // the playground restarted: its chats are new
        location.reload();
        return;
      }
      // The sandbox keeps a bounded list of events: after a gap, re-read every chat.
      const gap = events.length > 0 && events[0].seq > state.cursor + 1 && state.cursor > 0;
      state.cursor = Math.max(state.cursor, data.last_seq);
      setOnline(true);
      const stale = new Set();
      let unknown = false;
      for (const event of events) {
        const column = state.columns.get(event.user_id);
        if (state.hidden.has(event.user_id)) continue;
        if (!column) unknown = true;
        else if (event.message && event.message.message_id !== undefined) upsert(column, event.message);
        else stale.add(column);
      }
      if (gap) state.columns.forEach((column) => stale.add(column));
      for (const column of stale) refreshChat(column).catch((error) => console.warn(error));
      if (unknown) await refreshUsers();
    } catch (error) {
      setOnline(false);
      await sleep(2000);
    }
  }
}

async function main() {
  document.getElementById("add-user").addEventListener("submit", (event) => {
    event.preventDefault();
    addUser(event.currentTarget);
  });
  const seedButton = document.getElementById("seed");
  seedButton.addEventListener("click", () => seed(seedButton));
  for (;;) {
    try {
      state.info = await api("/api/info");
      break;
    } catch {
      setOnline(false, "waiting for the playground…");
      await sleep(2000);
    }
  }
  document.getElementById("bot-name").textContent = `@${state.info.bot.username}`;
  state.hidden = new Set(state.info.hidden || []);
  if (!state.info.seed.available) {
    seedButton.classList.add("unavailable");
    seedButton.title = "Seeding is unavailable in this checkout (no bridge.seed module)";
  }
  // The cursor first, then the chats: a change in between is fetched twice, never missed.
  const head = await api(`/sandbox/events?after=${Number.MAX_SAFE_INTEGER}&timeout=0`);
  state.cursor = head.last_seq || 0;
  await refreshUsers();
  setOnline(true);
  document.body.classList.add("ready");
  poll();
}

main();
