"""Drives headless Chromium through the gallery's uploader as a visitor on a phone would: a 390 px
wide touch screen, several photos chosen at once, each with its title from its file name, uploaded
with progress, and then the gallery browsed with the keyboard and a swipe. axe-core checks each page.

Reads a JSON request on stdin:
  {"start": URL of the gallery's front page, "directory": where to write the photos,
   "photos": [file names of the photos to add at once], "too_big": file name of one over the limit
   (or null), "too_big_bytes": its size, "retry": file name of a photo whose first upload is made to
   fail (or null), "block": URL pattern of the bucket's POST endpoint (for "retry"),
   "throttle": bytes per second of upload bandwidth (0: none), "browse": bool, "upload_page": bool,
   "drop_text_file": a file name to drop on the chooser as a text file (or null),
   "screenshots": dir, "chromium": path, "chromedriver": path}
Prints a JSON report: each step with its screenshot; the uploader's items before and after (and the dropped one)
(title, state, status text, photo link, manage link); the progress values each item's bar showed;
how many presign requests the page made; what the browsing found; the serious and critical axe
violations per page; and the browser console's errors.
"""
import json
import os
import sys
import time

from PIL import Image
from chromium_session import Session
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC


def write_photo(path, width, height, size=None):
    """A photo of noise (it does not compress) in the format its extension names, or a PNG of at
    least `size` bytes."""
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    if size:
        noise.save(path, "PNG")
        assert os.path.getsize(path) >= size, "the photo over the limit came out too small"
    else:
        noise.save(path, quality=92)


RECORD_PROGRESS = """
window.__requests = [];
var originalFetch = window.fetch;
window.fetch = function (url, options) {
  window.__requests.push(((options && options.method) || "GET") + " " + url);
  return originalFetch.apply(this, arguments);
};
var originalOpen = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
  window.__requests.push(method + " " + url);
  return originalOpen.apply(this, arguments);
};
window.__progress = {};
window.__states = [];
new MutationObserver(function (records) {
  records.forEach(function (record) { window.__states.push(record.target.id + " " + record.target.className + " " + (record.target.dataset.key || "")); });
}).observe(document.querySelector(".upload-list"), {attributes: true, attributeFilter: ["class"], subtree: true});
new MutationObserver(function (records) {
  records.forEach(function (record) {
    var item = record.target.closest("li");
    (window.__progress[item.id] = window.__progress[item.id] || []).push(Number(record.target.getAttribute("value")));
  });
}).observe(document.querySelector(".upload-list"), {attributes: true, attributeFilter: ["value"], subtree: true});
"""


def main():
    request = json.load(sys.stdin)
    session = Session(request, phone=(390, 844))
    driver, wait, report, step = session.driver, session.wait, session.report, session.step
    directory = request["directory"]

    def items():
        found = []
        for item in driver.find_elements(By.CSS_SELECTOR, "li.upload-item"):
            links = item.find_elements(By.CSS_SELECTOR, ".upload-status a")
            manage = item.find_elements(By.CSS_SELECTOR, ".manage-link a")
            found.append({
                "id": item.get_attribute("id"),
                "title": item.find_element(By.CSS_SELECTOR, "input[type=text]").get_attribute("value"),
                "file": item.find_element(By.CSS_SELECTOR, ".upload-file").text,
                "state": [name for name in item.get_attribute("class").split() if name != "upload-item"],
                "status": item.find_element(By.CSS_SELECTOR, ".upload-status").text,
                "photo_url": links[0].get_attribute("href") if links else None,
                "manage_url": manage[0].get_attribute("href") if manage else None,
            })
        return found

    def settled(expected):
        """Waits until `expected` items are done, refused or failed, none on its way."""
        deadline = time.time() + 120
        while time.time() < deadline:
            states = [item["state"] for item in items()]
            if len(states) == expected and all(
                    set(state) & {"done", "refused", "failed", "review"} for state in states):
                return True
            time.sleep(0.2)
        return False

    def presigns():
        """The presign requests the page made since RECORD_PROGRESS: POSTs to /upload."""
        requests = driver.execute_script("return window.__requests")
        report["requests"] = requests
        return len([request for request in requests if request.startswith("POST ") and request.endswith("/upload")])

    def choose(names):
        paths = [os.path.join(directory, name) for name in names]
        driver.find_element(By.ID, "photos").send_keys("\n".join(paths))

    def visit(_):
        photos = request["photos"]
        for index, name in enumerate(photos):
            write_photo(os.path.join(directory, name), 640 + 32 * index, 480)
        if request.get("too_big"):
            write_photo(os.path.join(directory, request["too_big"]), 1000, 1000, size=request["too_big_bytes"])

        driver.get(request["start"])
        wait.until(EC.presence_of_element_located((By.ID, "photos")))
        report["title_form_hidden"] = not driver.find_element(By.CSS_SELECTOR, "form.title-form").is_displayed()
        report["window_width"] = driver.execute_script("return window.innerWidth")
        session.axe("index")
        step("uploader")

        if request.get("drop_text_file"):
            # What a desktop's drag and drop delivers: a drop event carrying the files (a text file here).
            driver.execute_script(
                "var transfer = new DataTransfer();"
                " transfer.items.add(new File(['a shopping list'], arguments[0], {type: 'text/plain'}));"
                " var zone = document.querySelector('.drop-zone');"
                " zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));"
                " zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));",
                request["drop_text_file"])
            wait.until(lambda _: len(items()) == 1)
            report["dropped"] = items()[0]
            driver.find_element(By.CSS_SELECTOR, f"#{items()[0]['id']} button.remove").click()
            wait.until(lambda _: len(items()) == 0)

        chosen = photos + ([request["too_big"]] if request.get("too_big") else [])
        choose(chosen)
        wait.until(lambda _: len(items()) == len(chosen))
        report["chosen"] = items()
        report["fits_width"] = driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth")
        report["start_button"] = driver.find_element(By.CSS_SELECTOR, "button.start-uploads").text
        session.axe("uploader-with-photos")
        step("photos-chosen")

        driver.execute_script(RECORD_PROGRESS)
        if request.get("throttle"):
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": False, "latency": 20, "downloadThroughput": -1,
                "uploadThroughput": request["throttle"]})
        driver.find_element(By.CSS_SELECTOR, "button.start-uploads").click()
        time.sleep(0.5)
        step("uploading")
        report["settled"] = settled(len(chosen))
        if request.get("throttle"):
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        report["uploaded"] = items()
        report["progress"] = driver.execute_script("return window.__progress")
        # The most photos on their way at once, from each item's changes of state in order.
        current, most = {}, 0
        for change in driver.execute_script("return window.__states"):
            item, classes = change.split(" ")[0], change.split(" ")[1:]
            current[item] = bool(set(classes) & {"starting", "presigning", "uploading", "publishing"})
            most = max(most, sum(current.values()))
        report["most_at_once"] = most
        report["presigns"] = presigns()
        report["summary"] = driver.find_element(By.CSS_SELECTOR, ".upload-summary").text
        step("uploaded")

        if request.get("retry"):
            write_photo(os.path.join(directory, request["retry"]), 800, 600)
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [request["block"]]})
            before = len(items())
            choose([request["retry"]])
            wait.until(lambda _: len(items()) == before + 1)
            driver.find_element(By.CSS_SELECTOR, "button.start-uploads").click()
            wait.until(lambda _: "failed" in items()[-1]["state"])
            report["failed"] = items()[-1]
            report["form_after_failure"] = driver.find_element(By.CSS_SELECTOR, "form.title-form").is_displayed()
            step("upload-failed")
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
            driver.find_element(By.CSS_SELECTOR, f"#{items()[-1]['id']} button.retry").click()
            report["retry_settled"] = settled(before + 1)
            report["retried"] = items()[-1]
            report["presigns_after_retry"] = presigns()
            step("retried")

        if request.get("upload_page"):
            # The one-photo form of the flow without scripts: what the title form leads to.
            driver.execute_script(
                "var form = document.querySelector('form.title-form'); form.hidden = false;"
                " form.elements.title.value = 'The form without scripts'; form.submit();")
            wait.until(EC.presence_of_element_located((By.ID, "upload-form")))
            report["upload_page_asks_type"] = driver.find_element(By.ID, "content-type").is_displayed()
            session.axe("upload-page")
            step("upload-page")

        if request.get("browse"):
            browse()

    def browse():
        driver.get(request["start"])
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.photo")))
        report["gallery"] = [element.get_attribute("alt")
                             for element in driver.find_elements(By.CSS_SELECTOR, "li.photo img:not(.placeholder)")]
        older = driver.find_elements(By.CSS_SELECTOR, ".pages a[rel=next]")
        if older:
            driver.get(older[0].get_attribute("href"))
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.photo")))
            session.axe("page")
            step("page")
            driver.get(request["start"])
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.photo")))
        driver.find_element(By.CSS_SELECTOR, "li.photo a.frame").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.photo-page")))
        newest = driver.current_url
        photo = driver.find_element(By.CSS_SELECTOR, ".photo-page img:not(.placeholder)")
        wait.until(lambda _: driver.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", photo))
        report["photo_page"] = {
            "url": newest,
            "links_to_itself": driver.execute_script(
                "return Array.from(document.links).some(function (link) { return link.href === location.href; })"),
            "image_width": photo.size["width"], "image_height": photo.size["height"],
            "window": driver.execute_script("return [window.innerWidth, window.innerHeight]"),
            "older": [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, "a[rel=next]")],
        }
        session.axe("photo-page")
        step("photo-page")
        # → goes to the older photo, ← back to the newer one.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
        wait.until(lambda _: driver.current_url != newest)
        report["after_right_arrow"] = driver.current_url
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
        wait.until(lambda _: driver.current_url == newest)
        report["after_left_arrow"] = driver.current_url
        # A swipe to the left (a finger moving from right to left) goes to the older photo.
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.photo-page")))
        for kind, x in (("touchStart", 320), ("touchMove", 200), ("touchMove", 80)):
            driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": 300}]})
        driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        wait.until(lambda _: driver.current_url != newest)
        report["after_swipe"] = driver.current_url
        step("swiped")

    session.run(visit)


if __name__ == "__main__":
    main()
