using System.Globalization;
using NUnit.Framework;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MediaWorker.Http.Tests;

/// <summary>
/// The dashboard in Debian's chromium (headless, driven by chromedriver through Selenium): it shows
/// jobs appear and finish without a reload, and its Cancel button stops a running job; paused
/// queues, schedules and pipeline runs show as they change.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    [Test]
    public async Task Dashboard_ShowsJobsLive_AndCancelsARunningJob()
    {
        Assert.That(File.Exists(Chromium) && File.Exists(ChromeDriver), Is.True, "Debian's chromium and chromium-driver are installed by scripts/setup.sh");
        await using var host = await OpsHost.StartAsync(withWorker: true);
        using var driver = StartBrowser();
        driver.Navigate().GoToUrl(host.Server.Address);
        Until(driver, "the stream is live", d => TextOf(d, "#live") == "live");
        Until(driver, "the worker is listed", d => TextOf(d, "#workers .item") is not null);

        var noop = await LiveTests.SubmitAsync(host.Client, """{"task_type": "noop"}""");
        Until(driver, "job noop shows completed", d => StatusOf(d, noop) == "completed");

        var sleep = await LiveTests.SubmitAsync(host.Client, """{"task_type": "sleep", "params": {"seconds": 120}}""");
        Until(driver, "job sleep shows processing", d => StatusOf(d, sleep) == "processing");
        await Task.Delay(1200); // let the progress bar move, for the screenshot
        // Rows are redrawn as events arrive: find the button and press it in one step, as a person's click does.
        ((IJavaScriptExecutor)driver).ExecuteScript("document.querySelector(`#jobs tr[data-job-id='${arguments[0]}'] button.cancel`).click();", sleep);
        Until(driver, "job sleep shows cancelled", d => StatusOf(d, sleep) == "cancelled");
        Until(driver, "the tiles count one completed and one cancelled job", d => TextOf(d, "#count-completed") == "1" && TextOf(d, "#count-cancelled") == "1");

        // A failed job shows its reason in the failed list, with a Retry button.
        var failing = await LiveTests.SubmitAsync(host.Client, """{"task_type": "sleep", "params": {"seconds": -1}, "max_retries": 0}""");
        Until(driver, "the failed job shows its reason", d => TextOf(d, $"#failed .item[data-job-id='{failing}'] .error") is not null);
        Assert.That(TextOf(driver, $"#failed .item[data-job-id='{failing}'] .error"), Does.Contain("seconds"));

        var timing = (IReadOnlyDictionary<string, object>)((IJavaScriptExecutor)driver).ExecuteScript("""
            const paint = performance.getEntriesByName('first-contentful-paint')[0] || performance.getEntriesByName('first-paint')[0];
            const nav = performance.getEntriesByType('navigation')[0];
            const assets = performance.getEntriesByType('resource').filter(r => !r.name.includes('/api/'));
            return { firstPaintMs: paint ? paint.startTime : -1, bytes: nav.encodedBodySize + assets.reduce((s, r) => s + r.encodedBodySize, 0), files: 1 + assets.length };
            """)!;
        var figures = string.Create(CultureInfo.InvariantCulture, $"first paint {Convert.ToDouble(timing["firstPaintMs"], CultureInfo.InvariantCulture):0} ms, page weight {Convert.ToInt64(timing["bytes"], CultureInfo.InvariantCulture)} bytes in {timing["files"]} files");
        TestContext.Out.WriteLine($"Dashboard: {figures}");
        Assert.That(Convert.ToInt64(timing["bytes"], CultureInfo.InvariantCulture), Is.LessThan(100_000), "one page, no framework");

        var artifacts = Path.Combine(TestContext.CurrentContext.WorkDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "dashboard.png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(screenshot);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "dashboard-timing.txt"), figures + "\n");
        TestContext.AddTestAttachment(screenshot, "The dashboard after the test's jobs");
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000));

        driver.Manage().Window.Size = new System.Drawing.Size(390, 1600);
        var phone = Path.Combine(artifacts, "dashboard-phone.png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(phone);
        TestContext.AddTestAttachment(phone, "The dashboard at phone width");
        var overflow = (long)((IJavaScriptExecutor)driver).ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")!;
        Assert.That(overflow, Is.LessThanOrEqualTo(0), "no sideways scrolling on a phone");
    }

    [Test]
    public async Task Dashboard_AsksForTheTokenOnce_AndThenWorks()
    {
        await using var host = await OpsHost.StartAsync(s => s["API_TOKEN"] = "browser-token-0123456789", withWorker: true);
        using var driver = StartBrowser();
        driver.Navigate().GoToUrl(host.Server.Address);
        Until(driver, "the page asks for the token", d => d.FindElement(By.Id("token-form")).Displayed);
        driver.FindElement(By.Id("token-input")).SendKeys("browser-token-0123456789");
        driver.FindElement(By.CssSelector("#token-form button")).Click();
        Until(driver, "the stream is live", d => TextOf(d, "#live") == "live");
        var noop = await LiveTests.SubmitAsync(host.Client, """{"task_type": "noop"}""");
        Until(driver, "job noop shows completed", d => StatusOf(d, noop) == "completed");

        driver.Navigate().Refresh(); // kept in this browser: not asked again
        Until(driver, "the stream is live after the reload", d => TextOf(d, "#live") == "live");
        Assert.That(driver.FindElement(By.Id("token-form")).Displayed, Is.False);
    }

    [Test]
    public async Task Dashboard_ShowsPausedQueues_Schedules_AndPipelineRuns()
    {
        await using var host = await OpsHost.StartAsync(withWorker: true);
        using var driver = StartBrowser();
        driver.Navigate().GoToUrl(host.Server.Address);
        Until(driver, "the stream is live", d => TextOf(d, "#live") == "live");
        Until(driver, "the empty lists say so", d => TextOf(d, "#paused")?.Contains("No queue is paused", StringComparison.Ordinal) == true
            && TextOf(d, "#schedules")?.Contains("No schedules", StringComparison.Ordinal) == true && TextOf(d, "#runs")?.Contains("No pipeline runs", StringComparison.Ordinal) == true);
        Until(driver, "the worker is listed (its plugins are loaded, so definitions can be checked)", d => TextOf(d, "#workers .item") is not null);

        await PostAsync(host, "/api/queues/sleep/pause?reason=disk%20swap", "");
        await PostAsync(host, "/api/schedules", """{"name": "nightly", "cron": "0 3 * * *", "time_zone": "Europe/Berlin", "target": {"kind": "job", "task_type": "noop"}}""");
        await PostAsync(host, "/api/pipelines", """{"name": "two_steps", "steps": [{"name": "a", "task": "noop"}, {"name": "b", "task": "noop", "needs": "a"}]}""");
        var run = (string)(await PostAsync(host, "/api/pipelines/two_steps/runs", "{}"))["run_id"]!;

        Until(driver, "the paused queue shows with its reason", d => TextOf(d, "#paused .item[data-task-type='sleep']")?.Contains("disk swap", StringComparison.Ordinal) == true);
        Until(driver, "the schedule shows its cron, zone and target", d => TextOf(d, "#schedules .item[data-schedule='nightly']") is { } text
            && text.Contains("0 3 * * *", StringComparison.Ordinal) && text.Contains("Europe/Berlin", StringComparison.Ordinal) && text.Contains("noop", StringComparison.Ordinal) && text.Contains("active", StringComparison.Ordinal));
        Until(driver, "the pipeline run shows completed", d => TextOf(d, $"#runs .item[data-run-id='{run}'] .status") == "completed");
        Assert.That(TextOf(driver, $"#runs .item[data-run-id='{run}']"), Does.Contain("two_steps").And.Contain("v1"));

        await PostAsync(host, "/api/queues/sleep/resume", "");
        await PostAsync(host, "/api/schedules/nightly/pause", "");
        Until(driver, "the resumed queue and the paused schedule show", d => TextOf(d, "#paused")?.Contains("No queue is paused", StringComparison.Ordinal) == true
            && TextOf(d, "#schedules .item[data-schedule='nightly'] .pill") == "paused");
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> PostAsync(OpsHost host, string path, string body)
    {
        using var response = await host.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{path}: {text}");
        return System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
    }

    private static ChromeDriver StartBrowser()
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1500", "--hide-scrollbars");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits like WebDriverWait, but a timeout says what was awaited and what the page showed.</summary>
    private static void Until(IWebDriver driver, string what, Func<IWebDriver, bool> condition)
    {
        try
        {
            new WebDriverWait(driver, TimeSpan.FromSeconds(30)).Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"Timed out waiting until {what}. The page showed:\n{driver.FindElement(By.TagName("main")).Text}");
        }
    }

    private static string? StatusOf(IWebDriver driver, string jobId) => TextOf(driver, $"#jobs tr[data-job-id='{jobId}'] .status");

    /// <summary>An element's text read in the page itself: the dashboard redraws parts as events arrive, so held elements go stale.</summary>
    private static string? TextOf(IWebDriver driver, string selector) =>
        (string?)((IJavaScriptExecutor)driver).ExecuteScript("return document.querySelector(arguments[0])?.textContent ?? null;", selector);
}
