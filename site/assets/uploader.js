// Adding photos as people expect: choose (or drop) several at once, each with a title taken from
// its file name, a preview, its own progress bar and a retry; at most three upload at a time.
//
// Progressive enhancement of the title form (templates/add-photos.mustache), which keeps working
// without scripts. First the service's rules (GET on the form's action: the types and the size it
// takes) — asked once photos are chosen, never on a page view. Then each photo goes: presign
// (POST /upload, JSON, asking for a 201 form) → the file to the bucket (XMLHttpRequest, for its
// upload progress) → confirm (GET /uploaded, JSON) → done, with a link to its photo page and its
// manage link. No framework: plain DOM, no dependencies.
(function () {
  "use strict";
  var form = document.querySelector("form[data-uploader]");
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.fetch || !window.URLSearchParams ||
      !window.Promise) return;

  var PARALLEL = 3;
  var STALL_MS = 30000;           // no byte moved for this long: a stalled upload, not a slow one
  var ANSWER_MS = 120000;         // the bucket's answer once the whole file is sent
  var BUSY_RETRIES = 5;           // automatic waits on 429/503 before a photo is left to the uploader
  var CONFIRM_ATTEMPTS = 60;      // "still publishing" answers followed (5 s apart: five minutes)
  var MiB = 1024 * 1024;
  var settings = {
    uploadURL: form.action,
    uploadedURL: form.action.replace(/\/upload$/, "/uploaded"),
    galleryURL: form.dataset.gallery,
    invite: form.elements.invite ? form.elements.invite.value : null,
    titleLength: Number(form.elements.title.getAttribute("maxlength")) || 256,
  };
  // Media types by file extension, for files a browser gives no type or a non-standard one.
  var TYPES = {
    jpg: "image/jpeg", jpeg: "image/jpeg", jpe: "image/jpeg", png: "image/png", webp: "image/webp",
    gif: "image/gif", heic: "image/heic", heif: "image/heif", avif: "image/avif",
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

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  /** The title rules of the service (Title.swift): letters, digits, spaces and _ . : / = + - @. */
  function titleFromName(name) {
    return name.replace(/\.[A-Za-z0-9]{1,5}$/, "").normalize("NFC")
      .replace(/[^\p{L}\p{N}\s_.:\/=+\-@]/gu, "").replace(/\s+/gu, " ").trim()
      .slice(0, settings.titleLength);
  }

  function Failure(message, final) {
    this.message = message;
    this.final = !!final;
  }

  /** The reason in an answer: the service's JSON `error`, S3's XML `Message`, or the status. */
  function reason(status, text) {
    var message = "";
    try { message = JSON.parse(text).error || ""; } catch (ignored) {
      var match = /<Message>([^<]*)<\/Message>/.exec(text || "");
      if (match) message = match[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    }
    return message || "The server answered " + status + ".";
  }

  /** A 429 or 503: the service or the bucket asks to come back later. */
  function Busy(seconds, message) {
    this.seconds = Math.min(Math.max(Number(seconds) || 5, 1), 120);
    this.message = message;
  }

  // The service's rules, asked once (again after a failure).
  var rulesPromise = null;
  function rules() {
    if (!rulesPromise) {
      rulesPromise = fetch(settings.uploadURL, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (answer) {
          hint.textContent = answer.formats + ", up to " + answer.maximumMegabytes + " MiB each.";
          return answer;
        })
        .catch(function () {
          rulesPromise = null;
          throw new Failure("The gallery's service cannot be reached to check this photo. Retry in a moment.");
        });
    }
    return rulesPromise;
  }

  /** The signed Content-Type for `file`, or null when the gallery does not take its kind. */
  function mediaType(file, accepted) {
    if (file.type && accepted.indexOf(file.type) >= 0) return file.type;
    var extension = (file.name.match(/\.([A-Za-z0-9]+)$/) || [])[1];
    var guess = extension && TYPES[extension.toLowerCase()];
    return guess && accepted.indexOf(guess) >= 0 ? guess : null;
  }

  /** Why `file` cannot be uploaded under `rules`, before anything is sent; null when it can. */
  function refusal(file, rules) {
    if (!mediaType(file, rules.accept)) {
      return "“" + file.name + "” is not a photo the gallery takes: it takes " + rules.formats + ".";
    }
    if (file.size === 0) return "“" + file.name + "” is empty.";
    if (file.size > rules.maximumBytes) {
      return "“" + file.name + "” is " + mebibytes(file.size) + "; photos may be at most " +
        rules.maximumMegabytes + " MiB.";
    }
    return null;
  }

  // The chooser, in place of the title form (which comes back if the bucket cannot be reached).
  var root = element("div", { class: "uploader" });
  var zone = element("div", { class: "drop-zone" });
  var input = element("input", {
    id: "photos", type: "file", multiple: "",
    accept: "image/*," + Object.keys(TYPES).map(function (ext) { return "." + ext; }).join(","),
  });
  zone.appendChild(input);
  zone.appendChild(element("label", { for: "photos", class: "button" }, "Choose photos"));
  zone.appendChild(element("span", { class: "drop-hint" }, "or drop them here"));
  var hint = element("p", { class: "upload-hint" }, "Each photo gets its title from its file name; change it below.");
  var list = element("ul", { class: "upload-list", "aria-label": "Photos to add" });
  var start = element("button", { type: "button", class: "start-uploads", hidden: "" });
  var summary = element("p", { class: "upload-summary", role: "status", "aria-live": "polite" });
  var fallback = element("p", { class: "upload-hint", hidden: "" },
    "Or add photos one at a time with this form:");
  [zone, hint, list, start, summary].forEach(function (node) { root.appendChild(node); });
  form.parentNode.insertBefore(root, form);
  form.parentNode.insertBefore(fallback, form);
  form.hidden = true;

  var items = [];
  var active = 0;
  var counter = 0;
  var pausedUntil = 0;
  var pumpTimer = null;

  function Item(file) {
    this.file = file;
    this.id = "upload-" + (++counter);
    this.presigned = null;
    this.sent = false;       // some of the file may have reached the bucket
    this.landed = false;     // the bucket took the file (true), or may have ("maybe")
    this.busyRetries = 0;
    this.state = "checking";
    var node = this.node = element("li", { class: "upload-item checking", id: this.id });
    var preview = element("img", { class: "upload-preview", alt: "", width: "72", height: "72" });
    if (window.URL && URL.createObjectURL && /^image\//.test(file.type || "image/")) {
      this.previewURL = URL.createObjectURL(file);
      preview.src = this.previewURL;
      preview.addEventListener("error", function () { preview.removeAttribute("src"); });
    }
    var fields = element("div", { class: "upload-fields" });
    this.title = element("input", {
      id: this.id + "-title", type: "text", maxlength: String(settings.titleLength), autocomplete: "off",
      "aria-describedby": this.id + "-file " + this.id + "-status",
    });
    this.title.value = titleFromName(file.name);
    this.progress = element("progress", { max: "100", value: "0", "aria-label": "Upload of " + file.name });
    this.status = element("p", { class: "upload-status", id: this.id + "-status" });
    this.actions = element("div", { class: "upload-actions" });
    this.retry = element("button", { type: "button", class: "retry", "aria-label": "Retry " + file.name }, "Retry");
    this.remove = element("button", {
      type: "button", class: "secondary remove", "aria-label": "Remove " + file.name,
    }, "Remove");
    this.actions.appendChild(this.retry);
    this.actions.appendChild(this.remove);
    [
      element("label", { for: this.id + "-title" }, "Title"), this.title,
      element("p", { class: "upload-file", id: this.id + "-file" }, file.name + " · " + mebibytes(file.size)),
      this.progress, this.status, this.actions,
    ].forEach(function (child) { fields.appendChild(child); });
    node.appendChild(preview);
    node.appendChild(fields);
    var self = this;
    this.retry.addEventListener("click", function () { self.enqueue(); });
    this.remove.addEventListener("click", function () { self.discard(); });
    this.set("checking", "Checking…");
    rules().then(function (rules) {
      var why = refusal(file, rules);
      self.set(why ? "refused" : "ready", why || "");
    }, function (failure) { self.set("failed", failure.message); });
  }

  Item.prototype.set = function (state, message) {
    this.node.classList.remove(this.state);
    this.state = state;
    this.node.classList.add(state);
    this.status.textContent = message || "";
    var finished = state === "done" || state === "review";
    this.retry.hidden = state !== "failed";
    // Once a byte may be in the bucket the photo may still be published: it stays listed, with its
    // manage link, for the uploader to keep.
    this.remove.hidden = this.sent || !(state === "ready" || state === "failed" || state === "refused");
    this.title.disabled = !!this.landed || !(state === "ready" || state === "failed");
    this.progress.hidden = !(state === "uploading" || state === "publishing" || (finished && this.sent));
    refresh();
  };

  Item.prototype.discard = function () {
    if (this.previewURL) URL.revokeObjectURL(this.previewURL);
    var index = items.indexOf(this);
    items.splice(index, 1);
    this.node.remove();
    // Focus stays in the list: the next photo's title, else the previous one's, else the chooser.
    var neighbour = items[index] || items[index - 1];
    (neighbour && !neighbour.title.disabled ? neighbour.title : input).focus();
    refresh();
  };

  Item.prototype.enqueue = function () {
    this.set("queued", "Waiting for the uploads before it…");
    pump();
  };

  /** Rules → presign → send → confirm; a retry starts again where it failed (a form still valid for
   *  the same title is used again; a file the bucket took, or may have, is confirmed first). */
  Item.prototype.run = function () {
    var self = this;
    self.set("starting", "Starting…");  // at once: pump() must not start it twice
    var steps = rules().then(function (rules) {
      var why = refusal(self.file, rules);
      if (why) throw new Failure(why, true);
      self.type = mediaType(self.file, rules.accept);
    });
    if (!self.landed) {
      var form = self.presigned;
      var reusable = form && form.title === self.title.value && Date.parse(form.expiresAt) - Date.now() > 60000;
      if (!reusable) steps = steps.then(function () { return self.presign(); });
      steps = steps.then(function () { return self.send(); });
    }
    return steps.then(function () { return self.confirm(0); }).catch(function (failure) {
      if (failure instanceof Busy && self.busyRetries < BUSY_RETRIES) {
        // Asked to come back later: wait as long as asked, and hold the others back meanwhile.
        self.busyRetries++;
        pausedUntil = Math.max(pausedUntil, Date.now() + failure.seconds * 1000);
        self.set("queued", failure.message + " Trying again in " + failure.seconds + " s…");
        return;
      }
      var message = failure instanceof Failure || failure instanceof Busy ? failure.message
        : "Something went wrong: " + failure;
      self.set(failure.final ? "refused" : "failed", message);
    });
  };

  Item.prototype.presign = function () {
    var self = this;
    self.set("presigning", "Preparing the upload…");
    var body = new URLSearchParams();
    body.append("title", self.title.value);
    body.append("success_action_status", "201");
    if (settings.invite) body.append("invite", settings.invite);
    return fetch(settings.uploadURL, { method: "POST", headers: { Accept: "application/json" }, body: body })
      .catch(function () { throw new Failure("The connection was lost while preparing the upload. Retry."); })
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.status === 429 || response.status === 503) {
            throw new Busy(response.headers.get("Retry-After"), reason(response.status, text));
          }
          if (response.status !== 201) {
            // 403: the invite no longer holds, which retrying does not change. 400: the title,
            // which the uploader can correct and retry.
            throw new Failure(reason(response.status, text), response.status === 403);
          }
          self.presigned = JSON.parse(text);
          self.busyRetries = 0;
          self.node.dataset.key = self.presigned.key;
          self.title.value = self.presigned.title;
          self.addManageLink();
        });
      });
  };

  Item.prototype.send = function () {
    var self = this;
    var presigned = self.presigned;
    var progressed = false;
    self.progress.value = 0;
    self.set("uploading", "Uploading… 0 of " + mebibytes(self.file.size));
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      Object.keys(presigned.fields).forEach(function (name) { data.append(name, presigned.fields[name]); });
      data.append("Content-Type", self.type);
      data.append("file", self.file);
      var request = new XMLHttpRequest();
      var lastProgress = Date.now();
      var stalled = false;
      var watchdog = setInterval(function () {
        if (Date.now() - lastProgress > STALL_MS) {
          stalled = true;
          request.abort();
        }
      }, 1000);
      function settle() { clearInterval(watchdog); }
      request.open("POST", presigned.url);
      request.timeout = 0;
      request.upload.addEventListener("progress", function (event) {
        lastProgress = Date.now();
        if (event.loaded > 0) {
          progressed = true;
          self.sent = true;
          self.remove.hidden = true;
        }
        if (!event.lengthComputable) return;
        self.progress.value = Math.round(event.loaded / event.total * 100);
        self.status.textContent = "Uploading… " + mebibytes(Math.min(event.loaded, self.file.size)) + " of " +
          mebibytes(self.file.size);
      });
      request.upload.addEventListener("load", function () {
        // Every byte is sent: from here the bucket's answer is awaited, not the upload's progress.
        settle();
        self.landed = "maybe";
        request.timeout = ANSWER_MS;
        self.status.textContent = "Sent; waiting for the bucket…";
      });
      request.addEventListener("load", function () {
        settle();
        if (request.status >= 200 && request.status < 300) {
          self.progress.value = 100;
          self.landed = true;
          resolve();
        } else if (request.status === 503 || request.status === 429) {
          self.landed = false;
          reject(new Busy(request.getResponseHeader("Retry-After"), reason(request.status, request.responseText)));
        } else {
          // 403: the form expired or was refused; a retry asks for a new one.
          self.landed = false;
          self.presigned = null;
          reject(new Failure("The upload was refused: " + reason(request.status, request.responseText)));
        }
      });
      request.addEventListener("error", function () {
        settle();
        if (!progressed && self.landed !== "maybe") {
          // Nothing moved at all: the network, or a bucket that takes no uploads from this page (a
          // missing CORS rule). The one-photo form does not depend on either, so offer it.
          fallback.hidden = false;
          form.hidden = false;
          reject(new Failure("The upload could not start: the network, or the bucket does not take " +
            "uploads from this page. Retry, or use the one-photo form below."));
        } else {
          reject(new Failure("The connection was lost while uploading. Check the network, then retry."));
        }
      });
      request.addEventListener("timeout", function () {
        settle();
        reject(new Failure("The bucket did not answer after the upload. Retry to check whether it arrived."));
      });
      request.addEventListener("abort", function () {
        settle();
        reject(new Failure(stalled ? "The upload stalled (nothing moved for " + STALL_MS / 1000 +
          " s). Retry to start it again." : "The upload was stopped. Retry to start it again."));
      });
      request.send(data);
    });
  };

  Item.prototype.confirm = function (attempt) {
    var self = this;
    self.set("publishing", attempt ? "Still publishing…" : "Publishing…");
    var url = settings.uploadedURL + "?key=" + encodeURIComponent(self.presigned.key);
    return fetch(url, { headers: { Accept: "application/json" } })
      .catch(function () { throw new Failure("The connection was lost while publishing. Retry."); })
      .then(function (response) {
        return response.text().then(function (text) {
          var answer = {};
          try { answer = JSON.parse(text); } catch (ignored) { /* an error page: reason() reads it */ }
          if (response.status === 200 && answer.status === "published") {
            self.landed = true;
            self.set("done", "Published: ");
            self.status.appendChild(element("a", { href: answer.photoURL }, "“" + answer.title + "”"));
          } else if (response.status === 202 && answer.status === "review") {
            self.landed = true;
            self.set("review", answer.message);
          } else if (response.status === 202 && attempt < CONFIRM_ATTEMPTS) {
            self.landed = true;
            var seconds = Number(answer.retryAfter) || 5;
            return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); })
              .then(function () { return self.confirm(attempt + 1); });
          } else if (response.status === 202) {
            throw new Failure("It arrived, but the gallery has not shown it for five minutes. It will appear " +
              "once the gallery is updated; Retry to look again.");
          } else if (response.status === 422 || response.status === 410) {
            // Refused by the publisher (not an image, too many pixels…) or taken down: it was removed.
            throw new Failure(reason(response.status, text), true);
          } else {
            if (response.status === 404) self.landed = false;  // not in the bucket: Retry sends it again
            throw new Failure(reason(response.status, text));
          }
        });
      });
  };

  Item.prototype.addManageLink = function () {
    if (!this.presigned.manageURL || this.node.querySelector(".manage-link")) return;
    var paragraph = element("p", { class: "upload-file manage-link" },
      "Keep this link to remove the photo yourself within 24 hours: ");
    paragraph.appendChild(element("a", { href: this.presigned.manageURL }, this.presigned.manageURL));
    this.actions.parentNode.insertBefore(paragraph, this.actions);
  };

  /** Starts queued photos while fewer than PARALLEL are on their way, unless asked to wait. */
  function pump() {
    var wait = pausedUntil - Date.now();
    if (wait > 0) {
      if (!pumpTimer) pumpTimer = setTimeout(function () { pumpTimer = null; pump(); }, wait);
      return;
    }
    items.forEach(function (item) {
      if (active >= PARALLEL || item.state !== "queued") return;
      active++;
      item.run().then(function () {
        active--;
        pump();
      });
    });
  }

  function busy() {
    return items.some(function (item) {
      return ["queued", "starting", "presigning", "uploading", "publishing"].indexOf(item.state) >= 0;
    });
  }

  /** The start button and the summary, which screen readers hear (a live region). */
  function refresh() {
    var counts = {};
    items.forEach(function (item) { counts[item.state] = (counts[item.state] || 0) + 1; });
    var ready = counts.ready || 0;
    start.hidden = ready === 0;
    start.textContent = ready === 1 ? "Upload 1 photo" : "Upload " + ready + " photos";
    var parts = [];
    if (!busy() && !counts.checking) {
      if (counts.done) parts.push(plural(counts.done, "photo", "photos") + " published.");
      if (counts.review) parts.push(counts.review + " waiting for approval.");
      if (ready) parts.push(plural(ready, "photo", "photos") + " ready to upload.");
      if (counts.failed) parts.push(counts.failed + " failed: retry " + (counts.failed === 1 ? "it" : "them") + " below.");
      if (counts.refused) parts.push(counts.refused + " cannot be added (see why below).");
    }
    var text = parts.join(" ");
    if (summary.dataset.text !== text) {
      summary.dataset.text = text;
      summary.textContent = text ? text + " " : "";
      if (counts.done && !busy()) summary.appendChild(element("a", { href: settings.galleryURL }, "See the gallery"));
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

  // Leaving the page would stop the uploads on their way and lose their manage links.
  window.addEventListener("beforeunload", function (event) {
    if (!busy()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Drag and drop, on a desktop: onto the zone; files dropped anywhere else on the page are not
  // opened by the browser in place of the gallery.
  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") >= 0;
  }
  ["dragover", "drop"].forEach(function (name) {
    document.addEventListener(name, function (event) { if (carriesFiles(event)) event.preventDefault(); });
  });
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
