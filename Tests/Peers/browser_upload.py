"""Drives headless Chromium through the gallery like a visitor: open the gallery, type a title,
submit, choose a PNG, upload, and end on the gallery with the photo shown under its title.

Reads a JSON request on stdin:
  {"start": URL, "title": str, "image": path, "screenshots": dir, "javascript": bool,
   "chromium": path, "chromedriver": path}
Prints a JSON report: each step with its screenshot, the final URL, whether the photo is shown under
its title, and the browser console's errors (Content-Security-Policy violations show up there).
A step that fails still saves its screenshot, then the script exits non-zero with the report so far.
"""
import json
import os
import sys
import time

from chromium_session import Session
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select


def main():
    request = json.load(sys.stdin)
    javascript = request.get("javascript", True)
    session = Session(request, window="1280,1600", javascript=javascript)
    driver, wait, step = session.driver, session.wait, session.step
    report = session.report
    report["javascript"] = javascript

    def visit(_):
        driver.get(request["start"])
        title_input = wait.until(EC.presence_of_element_located((By.NAME, "title")))
        step("gallery")
        title_input.send_keys(request["title"])
        step("title-typed")
        title_input.find_element(By.XPATH, "./ancestor::form").submit()
        file_input = wait.until(EC.presence_of_element_located((By.ID, "file")))
        step("upload-form")
        file_input.send_keys(os.path.abspath(request["image"]))
        select = Select(driver.find_element(By.ID, "content-type"))
        if not report["javascript"]:
            select.select_by_value("image/png")  # what a visitor does by hand with scripts off
        report["content_type_chosen"] = select.first_selected_option.get_attribute("value")
        step("photo-chosen")
        driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
        shown = f'img[alt="{request["title"]}"]'
        deadline = time.time() + 30
        found = []
        while time.time() < deadline:
            found = driver.find_elements(By.CSS_SELECTOR, "img[alt]")
            matching = [element for element in found if element.get_attribute("alt") == request["title"]]
            if matching:
                report["image_src"] = matching[0].get_attribute("src")
                report["image_loaded"] = driver.execute_script(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0", matching[0]) if report["javascript"] else None
                break
            time.sleep(0.5)
            driver.refresh()
        report["shown_under_title"] = bool(driver.find_elements(By.CSS_SELECTOR, shown))
        # Each photo on the page with the caption under it: (alt text, caption).
        report["photos"] = [
            [item.find_element(By.CSS_SELECTOR, "img:not(.placeholder)").get_attribute("alt"),
             item.find_element(By.CSS_SELECTOR, ".caption").text]
            for item in driver.find_elements(By.CSS_SELECTOR, "li.photo")][:10]
        step("gallery-with-photo")
        report["final_url"] = driver.current_url

    session.run(visit)


if __name__ == "__main__":
    main()
