"""Drives headless Chromium through the review page as an operator on a phone would: a 390 px
wide window, sign in with the admin token, approve one upload and reject another by their titles.

Reads a JSON request on stdin:
  {"start": URL of /review, "token": str, "approve": title, "reject": title, "screenshots": dir,
   "chromium": path, "chromedriver": path}
Prints a JSON report: each step with its screenshot, the titles listed before and after, whether
the page fits the window without scrolling sideways, whether the previews loaded, the buttons'
sizes, the serious and critical axe-core violations of the listed page, and the browser console's errors (Content-Security-Policy violations show up there).
"""
import json
import sys
import time

from chromium_session import Session
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC


def main():
    request = json.load(sys.stdin)
    # A phone: 390 CSS pixels wide (an iPhone 12 to 15), touch, three device pixels per CSS pixel.
    session = Session(request, phone=(390, 844))
    driver, wait, report, step = session.driver, session.wait, session.report, session.step

    def listed():
        return [element.text for element in driver.find_elements(By.CSS_SELECTOR, ".review-list .review-title")]

    def loaded(image):
        return driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)

    def act(title, action):
        for item in driver.find_elements(By.CSS_SELECTOR, "li.review-item"):
            if item.find_element(By.CSS_SELECTOR, ".review-title").text == title:
                button = item.find_element(By.CSS_SELECTOR, f'button[value="{action}"]')
                report.setdefault("buttons", []).append(
                    {"action": action, "width": button.size["width"], "height": button.size["height"]})
                button.click()
                wait.until(EC.staleness_of(item))
                return True
        return False

    def visit(_):
        driver.get(request["start"])
        token = wait.until(EC.presence_of_element_located((By.ID, "token")))
        step("sign-in")
        token.send_keys(request["token"])
        token.find_element(By.XPATH, "./ancestor::form").submit()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".review-list")))
        report["window_width"] = driver.execute_script("return window.innerWidth")
        report["fits_width"] = driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth")
        previews = driver.find_elements(By.CSS_SELECTOR, "li.review-item img")
        deadline = time.time() + 10
        while time.time() < deadline and not all(loaded(image) for image in previews):
            time.sleep(0.2)
        report["previews_loaded"] = all(loaded(image) for image in previews)
        report["before"] = listed()
        report["heading_before"] = driver.find_element(By.ID, "review-heading").text
        session.axe("review")
        step("listed")
        report["approved"] = act(request["approve"], "approve")
        step("approved")
        report["rejected"] = act(request["reject"], "reject")
        step("rejected")
        report["heading_after"] = driver.find_element(By.ID, "review-heading").text
        report["after"] = listed()

    session.run(visit)


if __name__ == "__main__":
    main()
