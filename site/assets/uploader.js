// Adding photos as people expect: choose (or drop) several at once, each with a title taken from
// its file name, a preview, its own progress bar and a retry; at most three upload at a time.
//
// Progressive enhancement of the title form (templates/add-photos.mustache), which keeps working
// without scripts. Each photo goes: presign (POST /upload, JSON, asking for a 201 form) → the file
// to the bucket (XMLHttpRequest, for its upload progress) → confirm (GET /uploaded, JSON) → done,
// with a link to its photo page and its manage link. No framework: plain DOM, no dependencies.
(function () {
  "use strict";
  var form = document.querySelector("form[data-uploader]");
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.fetch || !window.URLSearchParams) return;

  var PARALLEL = 3;
  var STALL_MS = 30000;
  var MiB = 1024 * 1024;
  var settings = {
    uploadURL: form.action,
    uploadedURL: form.action.replace(/\/upload$/, "/uploaded"),
    maxBytes: Number(form.dataset.maxBytes),
    maxMegabytes: form.dataset.maxMegabytes,
    accept: form.dataset.accept.split(","),
    formats: form.dataset.formats,
    galleryURL: form.dataset.gallery,
    invite: form.elements.invite ? form.elements.invite.value : null,
    titleLength: Number(form.elements.title.getAttribute("maxlength")) || 256,
  };
  // Media types by file extension, for browsers that give a file no type (HEIC, often).
  var TYPES = {
    jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", gif: "image/gif",
    heic: "image/heic", heif: "image/heif", avif: "image/avif",
  };

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function mebibytes(bytes) {
    var value = bytes / MiB;
    return (value >= 10 ? Math.round(value) : Math.round(value * 10) / 10) + " MiB";
  }

  /** The title rules of the service (Title.swift): letters, digits, spaces and _ . : / = + - @. */
  function titleFromName(name) {
    return name.replace(/\.[A-Za-z0-9]{1,5}$/, "").normalize("NFC")
      .replace(/[^\p{L}\p{N}\s_.:\/=+\-@]/gu, "").replace(/\s+/gu, " ").trim()
      .slice(0, settings.titleLength);
  }

  /** The signed Content-Type for `file`, or null when the gallery does not take its kind. */
  function mediaType(file) {
    if (file.type && settings.accept.indexOf(file.type) >= 0) return file.type;
    var extension = (file.name.match(/\.([A-Za-z0-9]+)$/) || [])[1];
    var guess = extension && TYPES[extension.toLowerCase()];
    if (!file.type && guess && settings.accept.indexOf(guess) >= 0) return guess;
    return null;
  }

  /** Why `file` cannot be uploaded, before anything is sent; null when it can. */
  function refusal(file) {
    if (!mediaType(file)) {
      return "“" + file.name + "” is not a photo the gallery takes: it takes " + settings.formats + ".";
    }
    if (file.size === 0) return "“" + file.name + "” is empty.";
    if (file.size > settings.maxBytes) {
      return "“" + file.name + "” is " + mebibytes(file.size) + "; photos may be at most " +
        settings.maxMegabytes + " MiB.";
    }
    return null;
  }

  // The chooser, in place of the title form.
  var root = element("div", { class: "uploader" });
  var zone = element("div", { class: "drop-zone" });
  var input = element("input", {
    id: "photos", type: "file", multiple: "", accept: settings.accept.concat(
      Object.keys(TYPES).filter(function (ext) { return settings.accept.indexOf(TYPES[ext]) >= 0; })
        .map(function (ext) { return "." + ext; })).join(","),
  });
  var chooseLabel = element("label", { for: "photos", class: "button" }, "Choose photos");
  zone.appendChild(input);
  zone.appendChild(chooseLabel);
  zone.appendChild(element("span", { class: "drop-hint" }, "or drop them here"));
  var hint = element("p", { class: "upload-hint" },
    settings.formats + ", up to " + settings.maxMegabytes + " MiB each. Give each photo its title below.");
  var list = element("ul", { class: "upload-list", "aria-label": "Photos to add" });
  var start = element("button", { type: "button", class: "start-uploads", hidden: "" });
  var summary = element("p", { class: "upload-summary", role: "status", "aria-live": "polite" });
  [zone, hint, list, start, summary].forEach(function (node) { root.appendChild(node); });
  form.parentNode.insertBefore(root, form);
  form.hidden = true;

  var items = [];
  var active = 0;
  var counter = 0;

  function Item(file) {
    this.file = file;
    this.id = "upload-" + (++counter);
    this.type = mediaType(file);
    this.presigned = null;
    this.state = "ready";
    var node = this.node = element("li", { class: "upload-item ready", id: this.id });
    var preview = element("img", { class: "upload-preview", alt: "", width: "72", height: "72" });
    if (this.type && window.URL && URL.createObjectURL) {
      this.previewURL = URL.createObjectURL(file);
      preview.src = this.previewURL;
      preview.addEventListener("error", function () { preview.removeAttribute("src"); });
    }
    var fields = element("div", { class: "upload-fields" });
    this.label = element("label", { for: this.id + "-title" }, "Title");
    this.title = element("input", {
      id: this.id + "-title", type: "text", maxlength: String(settings.titleLength), autocomplete: "off",
      "aria-describedby": this.id + "-file",
    });
    this.title.value = titleFromName(file.name);
    this.fileText = element("p", { class: "upload-file", id: this.id + "-file" },
      file.name + " · " + mebibytes(file.size));
    this.progress = element("progress", { max: "100", value: "0", "aria-label": "Upload of " + file.name });
    this.progress.hidden = true;
    this.status = element("p", { class: "upload-status" });
    this.actions = element("div", { class: "upload-actions" });
    this.retry = element("button", { type: "button", class: "retry", "aria-label": "Retry " + file.name }, "Retry");
    this.retry.hidden = true;
    this.remove = element("button", { type: "button", class: "secondary remove", "aria-label": "Remove " + file.name },
      "Remove");
    this.actions.appendChild(this.retry);
    this.actions.appendChild(this.remove);
    [this.label, this.title, this.fileText, this.progress, this.status, this.actions].forEach(function (child) {
      fields.appendChild(child);
    });
    node.appendChild(preview);
    node.appendChild(fields);
    var self = this;
    this.retry.addEventListener("click", function () { self.enqueue(); });
    this.remove.addEventListener("click", function () { self.discard(); });
    var why = refusal(file);
    if (why) this.set("refused", why);
  }

  Item.prototype.set = function (state, message) {
    this.node.classList.remove(this.state);
    this.state = state;
    this.node.classList.add(state);
    this.status.textContent = message || "";
    var finished = state === "done" || state === "review";
    this.retry.hidden = state !== "failed";
    this.remove.hidden = !(state === "ready" || state === "failed" || state === "refused");
    this.title.disabled = !(state === "ready" || state === "failed");
    this.progress.hidden = !(state === "uploading" || state === "publishing" || (finished && this.sent));
    refresh();
  };

  Item.prototype.discard = function () {
    if (this.previewURL) URL.revokeObjectURL(this.previewURL);
    items.splice(items.indexOf(this), 1);
    this.node.remove();
    refresh();
  };

  Item.prototype.enqueue = function () {
    this.set("queued", "Waiting for the uploads before it…");
    pump();
  };

  /** The reason in an answer: the service's JSON `error`, S3's XML `Message`, or the status. */
  function reason(status, text, retryAfter) {
    var message = "";
    try { message = JSON.parse(text).error || ""; } catch (ignored) {
      var match = /<Message>([^<]*)<\/Message>/.exec(text || "");
      if (match) message = match[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    }
    if (!message) message = "The server answered " + status + ".";
    if (retryAfter) message += " Try again in " + retryAfter + " s.";
    return message;
  }

  function networkFailure(step) {
    return "The connection was lost while " + step + ". Check the network, then retry.";
  }

  /** Presign, send, confirm; a retry starts again where it failed (a form still valid for the same
   *  title is used again, an upload already in the bucket is only confirmed). */
  Item.prototype.run = function () {
    var self = this;
    self.set("starting", "Starting…");  // at once: pump() must not start it twice
    var steps = Promise.resolve();
    if (!self.landed) {
      var form = self.presigned;
      var reusable = form && form.title === titleFromName(self.title.value) &&
        Date.parse(form.expiresAt) - Date.now() > 60000;
      if (!reusable) steps = steps.then(function () { return self.presign(); });
      steps = steps.then(function () { return self.send(); });
    }
    return steps.then(function () { return self.confirm(0); }).catch(function (failure) {
      var message = failure instanceof Failure ? failure.message : "Something went wrong: " + failure;
      self.set(failure.final ? "refused" : "failed", message);
    });
  };

  function Failure(message, final) {
    this.message = message;
    this.final = !!final;
  }

  Item.prototype.presign = function () {
    var self = this;
    self.set("presigning", "Preparing the upload…");
    var body = new URLSearchParams();
    body.append("title", self.title.value);
    body.append("success_action_status", "201");
    if (settings.invite) body.append("invite", settings.invite);
    return fetch(settings.uploadURL, { method: "POST", headers: { Accept: "application/json" }, body: body })
      .catch(function () { throw new Failure(networkFailure("preparing the upload")); })
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.status !== 201) {
            // 400: the title; 403: the invite no longer holds. Neither gets better by retrying as is,
            // but a corrected title can be retried.
            throw new Failure(reason(response.status, text, response.headers.get("Retry-After")),
              response.status === 403);
          }
          self.presigned = JSON.parse(text);
          self.node.dataset.key = self.presigned.key;
          self.title.value = self.presigned.title;
        });
      });
  };

  Item.prototype.send = function () {
    var self = this;
    var presigned = self.presigned;
    self.sent = true;
    self.progress.value = 0;
    self.set("uploading", "Uploading… 0 of " + mebibytes(self.file.size));
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      Object.keys(presigned.fields).forEach(function (name) { data.append(name, presigned.fields[name]); });
      data.append("Content-Type", self.type);
      data.append("file", self.file);
      var request = new XMLHttpRequest();
      var lastProgress = Date.now();
      var watchdog = setInterval(function () {
        // No byte has moved for a while: a stalled upload, not a slow one. Stop it; Retry starts again.
        if (Date.now() - lastProgress > STALL_MS) request.abort();
      }, 1000);
      request.open("POST", presigned.url);
      request.upload.addEventListener("progress", function (event) {
        lastProgress = Date.now();
        if (!event.lengthComputable) return;
        var sent = Math.min(event.loaded, self.file.size);
        self.progress.value = Math.round(event.loaded / event.total * 100);
        self.status.textContent = "Uploading… " + mebibytes(sent) + " of " + mebibytes(self.file.size);
      });
      request.addEventListener("load", function () {
        clearInterval(watchdog);
        if (request.status >= 200 && request.status < 300) {
          self.progress.value = 100;
          self.landed = true;
          resolve();
        } else {
          // 403 from the bucket: the form expired or was refused; a retry asks for a new one.
          self.presigned = null;
          reject(new Failure("The upload was refused: " + reason(request.status, request.responseText,
            request.getResponseHeader("Retry-After"))));
        }
      });
      request.addEventListener("error", function () {
        clearInterval(watchdog);
        reject(new Failure(networkFailure("uploading")));
      });
      request.addEventListener("abort", function () {
        clearInterval(watchdog);
        reject(new Failure("The upload stalled (nothing moved for " + STALL_MS / 1000 + " s). Retry to start it again."));
      });
      request.send(data);
    });
  };

  Item.prototype.confirm = function (attempt) {
    var self = this;
    self.set("publishing", attempt ? "Still publishing…" : "Publishing…");
    var url = settings.uploadedURL + "?key=" + encodeURIComponent(self.presigned.key);
    return fetch(url, { headers: { Accept: "application/json" } })
      .catch(function () { throw new Failure(networkFailure("publishing")); })
      .then(function (response) {
        return response.text().then(function (text) {
          var answer = {};
          try { answer = JSON.parse(text); } catch (ignored) { /* an error page: reason() reads it */ }
          if (response.status === 200 && answer.status === "published") {
            self.done(answer);
          } else if (response.status === 202 && answer.status === "review") {
            self.set("review", answer.message);
            self.addManageLink();
          } else if (response.status === 202 && attempt < 60) {
            var seconds = Number(answer.retryAfter) || 5;
            return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); })
              .then(function () { return self.confirm(attempt + 1); });
          } else if (response.status === 422 || response.status === 410) {
            // Refused by the publisher (not an image, too many pixels…) or taken down: it was removed.
            throw new Failure(reason(response.status, text), true);
          } else {
            if (response.status === 404) self.landed = false;  // not in the bucket: send it again
            throw new Failure(reason(response.status, text));
          }
        });
      });
  };

  Item.prototype.done = function (answer) {
    this.set("done", "Published: ");
    var link = element("a", { href: answer.photoURL }, "“" + answer.title + "”");
    this.status.appendChild(link);
    this.addManageLink();
  };

  Item.prototype.addManageLink = function () {
    if (!this.presigned || !this.presigned.manageURL) return;
    var paragraph = element("p", { class: "upload-file manage-link" },
      "Keep this link to remove the photo yourself within 24 hours: ");
    paragraph.appendChild(element("a", { href: this.presigned.manageURL }, this.presigned.manageURL));
    this.status.parentNode.insertBefore(paragraph, this.actions);
  };

  /** Starts queued photos while fewer than PARALLEL are on their way. */
  function pump() {
    items.forEach(function (item) {
      if (active >= PARALLEL || item.state !== "queued") return;
      active++;
      item.run().then(function () {
        active--;
        pump();
      });
    });
  }

  function refresh() {
    var ready = items.filter(function (item) { return item.state === "ready"; }).length;
    start.hidden = ready === 0;
    start.textContent = ready === 1 ? "Upload 1 photo" : "Upload " + ready + " photos";
    var counts = {};
    items.forEach(function (item) { counts[item.state] = (counts[item.state] || 0) + 1; });
    var busy = (counts.queued || 0) + (counts.starting || 0) + (counts.presigning || 0) + (counts.uploading || 0) +
      (counts.publishing || 0);
    var published = counts.done || 0;
    var text = "";
    if (busy === 0 && (published || counts.review)) {
      text = (published ? published + (published === 1 ? " photo" : " photos") + " published. " : "") +
        (counts.review ? counts.review + " waiting for approval. " : "") +
        (counts.failed ? counts.failed + " failed: retry " + (counts.failed === 1 ? "it" : "them") + " below. " : "");
    }
    if (summary.dataset.text !== text) {
      summary.dataset.text = text;
      summary.textContent = text;
      if (text && published) {
        summary.appendChild(element("a", { href: settings.galleryURL }, "See the gallery"));
      }
    }
  }

  function add(files) {
    for (var index = 0; index < files.length; index++) {
      var item = new Item(files[index]);
      items.push(item);
      list.appendChild(item.node);
    }
    refresh();
  }

  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  start.addEventListener("click", function () {
    items.forEach(function (item) { if (item.state === "ready") item.enqueue(); });
  });

  // Drag and drop, on a desktop: anywhere on the zone.
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) add(event.dataTransfer.files);
  });
})();
