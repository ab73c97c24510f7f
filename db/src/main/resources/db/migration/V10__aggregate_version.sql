-- A number per site that every aggregation transaction adding to the site's counts raises, as its last statement
-- (so the row is locked only briefly). A read of the counts carries it: two reads of one view with the same number
-- saw the same counts, so the viewer can tell when the pieces it fetched apart came from different aggregations.
CREATE TABLE site_aggregate_version (
    site_id integer PRIMARY KEY REFERENCES site,
    version bigint  NOT NULL
);
