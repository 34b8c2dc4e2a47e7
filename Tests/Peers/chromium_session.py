"""What the browser peers share: headless Chromium under Selenium, a screenshot per step, and the
report printed at the end with the browser console's warnings and errors (Content-Security-Policy
violations show up there). A step that fails still saves its screenshot; the script then exits
non-zero with the report so far."""
import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait


class Session:
    def __init__(self, request, window=None, phone=None, javascript=True):
        """`window`: "width,height" of a desktop window; `phone`: CSS pixel width and height of a
        touch screen at three device pixels per CSS pixel."""
        self.shots = request["screenshots"]
        os.makedirs(self.shots, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = request.get("chromium", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-background-networking"):
            options.add_argument(argument)
        if window:
            options.add_argument(f"--window-size={window}")
        if phone:
            width, height = phone
            options.add_experimental_option("mobileEmulation", {
                "deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": True}})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        if not javascript:
            options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        service = Service(executable_path=request.get("chromedriver", "/usr/bin/chromedriver"))
        self.report = {"steps": []}
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(60)
        self.wait = WebDriverWait(self.driver, 30)

    def step(self, name):
        path = os.path.join(self.shots, f"{len(self.report['steps']) + 1:02d}-{name}.png")
        self.driver.save_screenshot(path)
        self.report["steps"].append({"step": name, "url": self.driver.current_url, "screenshot": path})

    def axe(self, name):
        """Runs axe-core (as axe-selenium-python ships it) on the current page and keeps, under
        report["axe"][name], the violations of serious or critical impact: each rule with the
        elements it found."""
        from axe_selenium_python import Axe
        checker = Axe(self.driver)
        checker.inject()
        results = checker.run()
        found = [{"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
                  "targets": [node["target"] for node in violation["nodes"]][:5]}
                 for violation in results["violations"] if violation["impact"] in ("serious", "critical")]
        self.report.setdefault("axe", {})[name] = {
            "url": self.driver.current_url, "rules": len(results["passes"]) + len(results["violations"]),
            "violations": found}
        return found

    def run(self, visit):
        """Runs `visit(session)`, then prints the report and exits (1 when a step failed)."""
        try:
            visit(self)
        except WebDriverException as error:
            self.report["error"] = f"{type(error).__name__}: {error.msg if hasattr(error, 'msg') else error}"
            try:
                self.step("failure")
            except WebDriverException:
                pass
        finally:
            try:
                self.report["console"] = [entry["message"] for entry in self.driver.get_log("browser")
                                          if entry.get("level") in ("SEVERE", "WARNING")]
            except WebDriverException:
                self.report["console"] = []
            self.driver.quit()
        print(json.dumps(self.report))
        sys.exit(1 if "error" in self.report else 0)
