-- Where inside its bin each click landed (issue 16): for every in-box bin of a click target, five sums over the clicks
-- that carry them, in 1/16 of a bin each way (1/256 of the box with 16 bins): how many, the offsets x and y, and their
-- squares, packed as counts (io.isotherm.grid.PackedCounts) at index bin * 5 + k. A reader draws those clicks at
-- their mean, spread as far as they are, instead of at the bin's centre. Rows written before stay empty: their clicks
-- are drawn at their bin's centre, as they always were.
ALTER TABLE click_target ADD COLUMN anchor_moments bytea NOT NULL DEFAULT ''::bytea;
