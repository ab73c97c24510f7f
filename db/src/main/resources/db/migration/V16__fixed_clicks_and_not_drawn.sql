-- Clicks on elements the capture did not see (issue 16): a reader no longer draws them at the visitor's raw position,
-- which lands on whatever the screenshot shows there, but counts them as not drawn (the elements panel lists them),
-- except fixed clicks (a back-to-top button, a cookie bar shown late), whose viewport position is where the element
-- stands on the screenshot's first screen. fixed_cells holds the cells of a target's fixed clicks (a subset of
-- cells); NULL for rows written before, whose clicks are drawn from their cells as they always were.
ALTER TABLE click_target ADD COLUMN fixed_cells bytea;

-- How many clicks a stored view left undrawn for that reason. Views stored before had none.
ALTER TABLE heatmap_view ADD COLUMN not_drawn bigint NOT NULL DEFAULT 0;
