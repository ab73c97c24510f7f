package io.isotherm.testing;

import org.openqa.selenium.JavascriptExecutor;

import java.util.Map;

/**
 * Where an element stands in the top window, in CSS px: the element found by a JavaScript expression (in the page, an
 * open shadow root or a same-origin frame, e.g. {@code document.querySelector('iframe').contentDocument.body}). A
 * frame's box is moved by where the frame's content lies: the iframe's box plus its border, up every frame.
 */
public record WindowBox(double left, double top, double width, double height) {
    public static WindowBox of(JavascriptExecutor page, String element) {
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) page.executeScript("""
                const el = %s;
                const r = el.getBoundingClientRect();
                let left = r.left, top = r.top;
                for (let w = el.ownerDocument.defaultView; w !== window; w = w.parent) {
                  const frame = w.frameElement, f = frame.getBoundingClientRect();
                  left += f.left + frame.clientLeft;
                  top += f.top + frame.clientTop;
                }
                return {left, top, width: r.width, height: r.height};""".formatted(element));
        return new WindowBox(r.get("left").doubleValue(), r.get("top").doubleValue(), r.get("width").doubleValue(),
                r.get("height").doubleValue());
    }
}
