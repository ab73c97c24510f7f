-- A name a person recognises for each element of a capture and of a page's current layout, taken by the capture from
-- the page as it saw it: the element's short visible text, else what the page's author named it (aria-label, alt,
-- title, ...), never a form field's value and nothing from visitors' browsers. NULL when the element has none, and
-- for boxes captured before labels were taken.
ALTER TABLE capture_element ADD COLUMN label text;
ALTER TABLE layout_element ADD COLUMN label text;
