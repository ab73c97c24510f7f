package io.isotherm.launcher;

import io.isotherm.launcher.AppVisitor.Screen;
import io.isotherm.launcher.ClickLedger.Sight;


import static io.isotherm.launcher.ClickLedger.Sight.NOT_ON_CAPTURE;
import static io.isotherm.launcher.ClickLedger.Sight.ON_CAPTURE;

/**
 * One visit to each page of {@link AppPagesSite} on one screen: known elements clicked a known number of times,
 * every click written into the {@link ClickLedger} with the selector the tracker gives its target.
 */
final class AppPagesTour {
    /** The in-box fractions of the card's nine clicks, each way. */
    static final double[] CARD_FRACTIONS = {0.1, 0.5, 0.9};

    private final AppVisitor visitor;
    private final AppPagesSite site;
    private final ClickLedger ledger;
    private Screen screen;
    private String page;

    AppPagesTour(AppVisitor visitor, AppPagesSite site, ClickLedger ledger) {
        this.visitor = visitor;
        this.site = site;
        this.ledger = ledger;
    }

    /** Every page, one page view each. */
    void visitAll(Screen screen) {
        this.screen = screen;
        containerApp();
        stickyBar();
        drawer();
        component();
        frame();
        card();
    }

    /** The card's page of a screen: a page of its own, so that the nine spots of each screen are measured alone. */
    static String cardPage(AppPagesSite site, Screen s) {
        return site.url("/card?w=" + s.width());
    }

    private void containerApp() {
        open("/app");
        String list = q("#list");
        int fold = (int) Math.round(visitor.number(list + ".getBoundingClientRect().top + " + list + ".clientHeight"));
        ledger.fold(page, screen.device(), fold);
        ledger.unrolledHeight(page, screen.device(), (int) Math.round(visitor.number(
                q("header") + ".offsetHeight + " + list + ".scrollHeight + " + q("footer") + ".offsetHeight")));
        click("#search", true, ON_CAPTURE);
        click("#title", false, ON_CAPTURE);
        click(testId("open-3"), true, ON_CAPTURE);
        click(testId("open-3"), true, ON_CAPTURE);
        click(testId("text-5"), false, ON_CAPTURE);
        click(testId("text-5"), false, ON_CAPTURE);
        showInList("open-20");
        click(testId("open-20"), true, ON_CAPTURE);
        backToTop();
        showInList("open-38");
        click(testId("open-38"), true, ON_CAPTURE);
        click(testId("text-38"), false, ON_CAPTURE);
        visitor.scrollTo("#list", (int) visitor.number(list + ".scrollHeight - " + list + ".clientHeight"));
        click("#more", true, ON_CAPTURE);
        // Items the capture never sees: they exist only after "Load more".
        showInList("open-45");
        click(testId("open-45"), true, NOT_ON_CAPTURE);
        click(testId("text-47"), false, NOT_ON_CAPTURE);
        backToTop();
        visitor.leave();
    }

    /** The fixed back-to-top button, shown once the list has scrolled, takes the list back up. */
    private void backToTop() {
        visitor.until("the back-to-top button shows", () -> (Boolean) visitor.js("return getComputedStyle(document.querySelector('#top')).display !== 'none'"));
        AppVisitor.Box top = visitor.box(q("#top"));
        AppVisitor.Press press = visitor.press(q("#top"), 0.5, 0.5);
        ledger.fixedClick(page, screen.device(), "#top", Sight.FIXED_OFF_CAPTURE, press, top, screen.width(), screen.height());
        visitor.until("the list is back at its top", () -> visitor.number(q("#list") + ".scrollTop") == 0);
    }

    private void showInList(String testId) {
        String list = q("#list");
        visitor.scrollTo("#list", (int) Math.max(0, Math.round(visitor.number(q(testId(testId)) + ".getBoundingClientRect().top - "
                + list + ".getBoundingClientRect().top + " + list + ".scrollTop - 120"))));
    }

    private void stickyBar() {
        open("/sticky");
        click("#lede", false, ON_CAPTURE);
        click("#intro-cta", true, ON_CAPTURE);
        int barTop = (int) visitor.number(q("#bar") + ".offsetTop");
        visitor.scrollTo(null, barTop - 200); // the bar in the flow, mid-window
        click("#bar-buy", true, ON_CAPTURE);
        visitor.scrollTo(null, (int) visitor.number(q("#after") + ".offsetTop") - 300); // the bar stuck at the top
        if (Math.abs(visitor.box(q("#bar")).top()) > 0.5) throw new AssertionError("the sticky bar is not stuck at the window's top");
        click("#bar-buy", true, ON_CAPTURE);
        click("#bar-more", true, ON_CAPTURE);
        click("#bar-note", false, ON_CAPTURE);
        click("#after", true, ON_CAPTURE);
        visitor.leave();
    }

    private void drawer() {
        open("/drawer");
        String shoes = "#drawer>a:nth-of-type(1)", sale = "#drawer>a:nth-of-type(3)";
        click("#intro", false, ON_CAPTURE);
        click("#shop-now", true, ON_CAPTURE);
        // The drawer's links are off the page until the menu opens it; a link closes it again.
        click("#menu", true, ON_CAPTURE);
        drawerLink(shoes);
        click("#menu", true, ON_CAPTURE);
        drawerLink(shoes);
        click("#menu", true, ON_CAPTURE);
        drawerLink(sale);
        click("#intro", false, ON_CAPTURE);
        visitor.leave();
    }

    /** A link of the open drawer, where it stands in the window. */
    private void drawerLink(String selector) {
        AppVisitor.Box box = visitor.box(q(selector));
        ledger.fixedClick(page, screen.device(), selector, Sight.OPENED_FIXED, visitor.press(q(selector), 0.5, 0.5), box,
                screen.width(), screen.height());
    }

    private void component() {
        open("/component");
        String root = q("#pay") + ".shadowRoot";
        click("#heading", q("#heading"), false);
        click("#pay >>> #card-pay", root + ".querySelector('#card-pay')", true);
        click("#pay >>> #card-pay", root + ".querySelector('#card-pay')", true);
        click("#pay >>> #paypal", root + ".querySelector('#paypal')", true);
        click("#pay >>> #note", root + ".querySelector('#note')", false);
        visitor.leave();
    }

    private void frame() {
        open("/frame");
        String inner = q("#checkout") + ".contentDocument";
        click("#checkout >>> #pay-now", inner + ".querySelector('#pay-now')", true);
        click("#checkout >>> #cancel", inner + ".querySelector('#cancel')", true);
        click("#checkout >>> #pay-now", inner + ".querySelector('#pay-now')", true);
        click("#checkout >>> #terms", inner + ".querySelector('#terms')", false);
        visitor.leave();
    }

    private void card() {
        page = cardPage(site, screen);
        visitor.open(page, screen);
        for (double fy : CARD_FRACTIONS) {
            for (double fx : CARD_FRACTIONS) {
                ledger.click(page, screen.device(), "#card", false, ON_CAPTURE, visitor.press(q("#card"), fx, fy));
            }
        }
        visitor.leave();
    }

    private void open(String path) {
        page = site.url(path);
        visitor.open(page, screen);
    }

    /** A click in the middle of the element with this selector in the page's own document. */
    private void click(String selector, boolean interactive, Sight sight) {
        ledger.click(page, screen.device(), selector, interactive, sight, visitor.press(q(selector), 0.5, 0.5));
    }

    /** A click in the middle of the element a JavaScript expression finds (in a shadow root or a frame). */
    private void click(String selector, String element, boolean interactive) {
        ledger.click(page, screen.device(), selector, interactive, ON_CAPTURE, visitor.press(element, 0.5, 0.5));
    }

    private static String testId(String id) {
        return "[data-testid=\"" + id + "\"]";
    }

    private static String q(String css) {
        return "document.querySelector('" + css.replace("'", "\\'") + "')";
    }
}
