-- Distributes Isotherm's schema over a Citus cluster (docs/SCALING.md). Run on the coordinator once Isotherm has
-- started against it (the migrations have created the tables), before traffic arrives:
--     isotherm database distribute       (or: psql -f distribute.sql)
-- It may be run again: tables already distributed are skipped, so after an upgrade that adds a table it
-- distributes just that one.
--
-- Every table appears exactly once below: as a reference table, distributed, or local (a test checks this
-- against the migrated schema, so a new table cannot be added without a decision).

-- Without this, making site a reference table would turn every local table with a foreign key to it (page first)
-- into a Citus local table, which cannot be distributed afterwards.
SET citus.enable_local_reference_table_foreign_keys = off;

-- Reference tables: small, read everywhere, copied to every node. The sites, and the accounts (the team, not a
-- site's traffic; api_token and invite may have no site, so they cannot be distributed on site_id; share_link is
-- looked up by its secret alone, before its site is known).
SELECT create_reference_table('site') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'site'::regclass);
SELECT create_reference_table('app_user') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app_user'::regclass);
SELECT create_reference_table('user_session') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'user_session'::regclass);
SELECT create_reference_table('site_member') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'site_member'::regclass);
SELECT create_reference_table('api_token') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'api_token'::regclass);
SELECT create_reference_table('invite') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'invite'::regclass);
SELECT create_reference_table('share_link') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'share_link'::regclass);

-- Distributed on site_id: page first, every other table colocated with it, so that a site's rows of every table
-- live on the same node and joins on site_id stay on one node.
SELECT create_distributed_table('page', 'site_id') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'page'::regclass);
SELECT create_distributed_table('ingest_batch', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'ingest_batch'::regclass);
SELECT create_distributed_table('raw_event', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'raw_event'::regclass);
SELECT create_distributed_table('heat_tile', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'heat_tile'::regclass);
SELECT create_distributed_table('click_target', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'click_target'::regclass);
SELECT create_distributed_table('heat_block_dirty', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'heat_block_dirty'::regclass);
SELECT create_distributed_table('element_day', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'element_day'::regclass);
SELECT create_distributed_table('segment_click_day', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'segment_click_day'::regclass);
SELECT create_distributed_table('layout_element', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'layout_element'::regclass);
SELECT create_distributed_table('page_day', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'page_day'::regclass);
SELECT create_distributed_table('page_hour', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'page_hour'::regclass);
SELECT create_distributed_table('pageview_summary', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'pageview_summary'::regclass);
SELECT create_distributed_table('segment', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'segment'::regclass);
SELECT create_distributed_table('page_group', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'page_group'::regclass);
SELECT create_distributed_table('scroll_depth_percent', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'scroll_depth_percent'::regclass);
SELECT create_distributed_table('scroll_depth_px', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'scroll_depth_px'::regclass);
SELECT create_distributed_table('viewport_height', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'viewport_height'::regclass);
SELECT create_distributed_table('attention_band', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'attention_band'::regclass);
SELECT create_distributed_table('heatmap_view', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'heatmap_view'::regclass);
SELECT create_distributed_table('heatmap_dirty', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'heatmap_dirty'::regclass);
SELECT create_distributed_table('site_aggregate_version', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'site_aggregate_version'::regclass);
SELECT create_distributed_table('capture', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'capture'::regclass);
SELECT create_distributed_table('capture_tile', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'capture_tile'::regclass);
SELECT create_distributed_table('capture_element', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'capture_element'::regclass);
SELECT create_distributed_table('ingest_outcome', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'ingest_outcome'::regclass);
SELECT create_distributed_table('ingest_last_batch', 'site_id', colocate_with => 'page') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'ingest_last_batch'::regclass);

-- Local, on the coordinator only: Flyway's own bookkeeping, read by every Isotherm process at start.
-- local: flyway_schema_history
