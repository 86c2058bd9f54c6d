-- Create "api_keys" table
CREATE TABLE `api_keys` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `role` text NOT NULL, `hash` text NOT NULL, `customer_id` text NULL, `revoked_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "api_keys_hash_key" to table: "api_keys"
CREATE UNIQUE INDEX `api_keys_hash_key` ON `api_keys` (`hash`);
-- Create "allocations" table
CREATE TABLE `allocations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `quantity` integer NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `variant_id` text NOT NULL, `location_id` text NOT NULL, `order_id` text NOT NULL, `line_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `allocations_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION, CONSTRAINT `allocations_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION, CONSTRAINT `allocations_orders_allocations` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `allocations_order_lines_allocations` FOREIGN KEY (`line_id`) REFERENCES `order_lines` (`id`) ON DELETE NO ACTION);
-- Create index "allocation_order_id" to table: "allocations"
CREATE INDEX `allocation_order_id` ON `allocations` (`order_id`);
-- Create index "allocation_variant_id_location_id_status" to table: "allocations"
CREATE INDEX `allocation_variant_id_location_id_status` ON `allocations` (`variant_id`, `location_id`, `status`);
-- Create index "allocation_status_location_id" to table: "allocations"
CREATE INDEX `allocation_status_location_id` ON `allocations` (`status`, `location_id`);
-- Create "boxes" table
CREATE TABLE `boxes` (`id` text NOT NULL, `code` text NOT NULL, `length_mm` integer NOT NULL, `width_mm` integer NOT NULL, `height_mm` integer NOT NULL, `max_weight_grams` integer NOT NULL, `tare_grams` integer NOT NULL DEFAULT (0), `active` bool NOT NULL DEFAULT (true), PRIMARY KEY (`id`));
-- Create index "boxes_code_key" to table: "boxes"
CREATE UNIQUE INDEX `boxes_code_key` ON `boxes` (`code`);
-- Create "bundle_components" table
CREATE TABLE `bundle_components` (`id` text NOT NULL, `quantity` integer NOT NULL, `component_id` text NOT NULL, `bundle_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `bundle_components_variants_component` FOREIGN KEY (`component_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION, CONSTRAINT `bundle_components_variants_components` FOREIGN KEY (`bundle_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION);
-- Create "channels" table
CREATE TABLE `channels` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `shop_id` text NULL, `active` bool NOT NULL DEFAULT (true), `base_url` text NULL, `webhook_url` text NULL, `credentials` blob NULL, `stock_buffer_kind` text NOT NULL DEFAULT ('NONE'), `stock_buffer` integer NOT NULL DEFAULT (0), `pull_interval_seconds` integer NOT NULL DEFAULT (300), `pulled_until` datetime NULL, `last_pull_at` datetime NULL, `last_pull_error` text NULL, PRIMARY KEY (`id`));
-- Create index "channel_kind_shop_id" to table: "channels"
CREATE UNIQUE INDEX `channel_kind_shop_id` ON `channels` (`kind`, `shop_id`);
-- Create "channel_listings" table
CREATE TABLE `channel_listings` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_id` text NOT NULL, `seller_sku` text NULL, `attrs` json NULL, `active` bool NOT NULL DEFAULT (true), `dirty_seq` integer NOT NULL DEFAULT (0), `pushed_seq` integer NOT NULL DEFAULT (0), `dirty_since` datetime NULL, `last_pushed_quantity` integer NULL, `last_pushed_at` datetime NULL, `last_push_lag_ms` integer NULL, `last_push_error` text NULL, `channel_id` text NOT NULL, `variant_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `channel_listings_channels_listings` FOREIGN KEY (`channel_id`) REFERENCES `channels` (`id`) ON DELETE NO ACTION, CONSTRAINT `channel_listings_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION);
-- Create index "channellisting_channel_id_external_id" to table: "channel_listings"
CREATE UNIQUE INDEX `channellisting_channel_id_external_id` ON `channel_listings` (`channel_id`, `external_id`);
-- Create index "channellisting_variant_id" to table: "channel_listings"
CREATE INDEX `channellisting_variant_id` ON `channel_listings` (`variant_id`);
-- Create "checkpoints" table
CREATE TABLE `checkpoints` (`id` text NOT NULL, `txid` integer NOT NULL DEFAULT (0), `event_id` integer NOT NULL DEFAULT (0), `updated_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create "customers" table
CREATE TABLE `customers` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NULL, `name` text NULL, `phone` text NULL, PRIMARY KEY (`id`));
-- Create index "customers_email_key" to table: "customers"
CREATE UNIQUE INDEX `customers_email_key` ON `customers` (`email`);
-- Create "events" table
CREATE TABLE `events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `txid` integer NULL DEFAULT (0), `type` text NOT NULL, `order_id` text NULL, `customer_id` text NULL, `channel_id` text NULL, `variant_id` text NULL, `location_id` text NULL, `data` json NULL, `actor` text NULL, `created_at` datetime NOT NULL);
-- Create index "event_txid_id" to table: "events"
CREATE INDEX `event_txid_id` ON `events` (`txid`, `id`);
-- Create index "event_order_id" to table: "events"
CREATE INDEX `event_order_id` ON `events` (`order_id`);
-- Create "idempotency_keys" table
CREATE TABLE `idempotency_keys` (`id` text NOT NULL, `request_hash` text NOT NULL, `result_ids` json NULL, `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create "inventory_levels" table
CREATE TABLE `inventory_levels` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `on_hand` integer NOT NULL DEFAULT (0), `reserved` integer NOT NULL DEFAULT (0), `safety_stock` integer NOT NULL DEFAULT (0), `incoming` integer NOT NULL DEFAULT (0), `location_id` text NOT NULL, `variant_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `inventory_levels_locations_inventory_levels` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION, CONSTRAINT `inventory_levels_variants_inventory_levels` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION);
-- Create index "inventorylevel_variant_id_location_id" to table: "inventory_levels"
CREATE UNIQUE INDEX `inventorylevel_variant_id_location_id` ON `inventory_levels` (`variant_id`, `location_id`);
-- Create "inventory_movements" table
CREATE TABLE `inventory_movements` (`id` text NOT NULL, `kind` text NOT NULL, `on_hand_delta` integer NOT NULL DEFAULT (0), `reserved_delta` integer NOT NULL DEFAULT (0), `reason` text NULL, `reference` text NULL, `actor` text NULL, `created_at` datetime NOT NULL, `variant_id` text NOT NULL, `location_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `inventory_movements_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION, CONSTRAINT `inventory_movements_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION);
-- Create index "inventorymovement_variant_id_location_id" to table: "inventory_movements"
CREATE INDEX `inventorymovement_variant_id_location_id` ON `inventory_movements` (`variant_id`, `location_id`);
-- Create index "inventorymovement_reference" to table: "inventory_movements"
CREATE INDEX `inventorymovement_reference` ON `inventory_movements` (`reference`);
-- Create "locations" table
CREATE TABLE `locations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `priority` integer NOT NULL DEFAULT (100), `address` json NULL, `timezone` text NOT NULL DEFAULT ('UTC'), `daily_capacity` integer NOT NULL DEFAULT (0), `cutoff_time` text NOT NULL DEFAULT ('15:00'), `processing_hours` integer NOT NULL DEFAULT (24), `accepts_cod` bool NOT NULL DEFAULT (true), `offers_pickup` bool NOT NULL DEFAULT (false), `ships_to` json NULL, `holidays` json NULL, PRIMARY KEY (`id`));
-- Create index "locations_code_key" to table: "locations"
CREATE UNIQUE INDEX `locations_code_key` ON `locations` (`code`);
-- Create "orders" table
CREATE TABLE `orders` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `external_id` text NULL, `idempotency_key` text NULL, `placed_by` text NULL, `status` text NOT NULL, `status_before_hold` text NULL, `channel_status` text NULL, `channel_updated_at` datetime NULL, `channel_refs` json NULL, `channel_hold` bool NOT NULL DEFAULT (false), `payment_status` text NOT NULL DEFAULT ('PENDING'), `fulfillment_status` text NOT NULL DEFAULT ('UNFULFILLED'), `payment_method` text NOT NULL DEFAULT ('PREPAID'), `currency` text NOT NULL, `subtotal_amount` integer NOT NULL, `shipping_amount` integer NOT NULL DEFAULT (0), `discount_amount` integer NOT NULL DEFAULT (0), `tax_amount` integer NOT NULL DEFAULT (0), `total_amount` integer NOT NULL, `shipping_address` json NULL, `ship_by` datetime NULL, `priority` integer NOT NULL DEFAULT (0), `cancel_reason` text NULL, `note` text NULL, `placed_at` datetime NOT NULL, `rejected_locations` json NULL, `promised_ship_by` datetime NULL, `promised_delivery_from` datetime NULL, `promised_delivery_to` datetime NULL, `channel_id` text NULL, `customer_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `orders_channels_orders` FOREIGN KEY (`channel_id`) REFERENCES `channels` (`id`) ON DELETE SET NULL, CONSTRAINT `orders_customers_orders` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE SET NULL);
-- Create index "orders_idempotency_key_key" to table: "orders"
CREATE UNIQUE INDEX `orders_idempotency_key_key` ON `orders` (`idempotency_key`);
-- Create index "order_channel_id_external_id" to table: "orders"
CREATE UNIQUE INDEX `order_channel_id_external_id` ON `orders` (`channel_id`, `external_id`);
-- Create index "order_status" to table: "orders"
CREATE INDEX `order_status` ON `orders` (`status`);
-- Create index "order_customer_id" to table: "orders"
CREATE INDEX `order_customer_id` ON `orders` (`customer_id`);
-- Create "order_lines" table
CREATE TABLE `order_lines` (`id` text NOT NULL, `sku` text NOT NULL, `quantity` integer NOT NULL, `unit_price_amount` integer NOT NULL, `external_unit_ids` json NULL, `external_line_id` text NULL, `listing_id` text NULL, `release_at` datetime NULL, `order_id` text NOT NULL, `variant_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `order_lines_orders_lines` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE, CONSTRAINT `order_lines_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION);
-- Create "products" table
CREATE TABLE `products` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `description` text NULL, `brand` text NULL, PRIMARY KEY (`id`));
-- Create "routing_decisions" table
CREATE TABLE `routing_decisions` (`id` text NOT NULL, `outcome` text NOT NULL, `trace` json NOT NULL, `created_at` datetime NOT NULL, `order_id` text NOT NULL, `policy_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `routing_decisions_orders_routing_decisions` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `routing_decisions_routing_policies_policy` FOREIGN KEY (`policy_id`) REFERENCES `routing_policies` (`id`) ON DELETE SET NULL);
-- Create index "routingdecision_order_id_created_at" to table: "routing_decisions"
CREATE INDEX `routingdecision_order_id_created_at` ON `routing_decisions` (`order_id`, `created_at`);
-- Create "routing_policies" table
CREATE TABLE `routing_policies` (`id` text NOT NULL, `scope` text NOT NULL, `version` integer NOT NULL, `criteria` json NOT NULL, `max_shipments` integer NOT NULL, `ship_from_store` bool NOT NULL, `drop_ship` bool NOT NULL, `split_bundles` bool NOT NULL, `backorder` text NOT NULL, `note` text NULL, `created_by` text NULL, `created_at` datetime NOT NULL, `channel_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `routing_policies_channels_channel` FOREIGN KEY (`channel_id`) REFERENCES `channels` (`id`) ON DELETE SET NULL);
-- Create index "routingpolicy_scope_version" to table: "routing_policies"
CREATE UNIQUE INDEX `routingpolicy_scope_version` ON `routing_policies` (`scope`, `version`);
-- Create "variants" table
CREATE TABLE `variants` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `sku` text NOT NULL, `name` text NOT NULL, `price_amount` integer NOT NULL DEFAULT (0), `currency` text NOT NULL DEFAULT ('USD'), `weight_grams` integer NOT NULL DEFAULT (0), `length_mm` integer NOT NULL DEFAULT (0), `width_mm` integer NOT NULL DEFAULT (0), `height_mm` integer NOT NULL DEFAULT (0), `location_supplies` text NULL, `product_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `variants_locations_supplies` FOREIGN KEY (`location_supplies`) REFERENCES `locations` (`id`) ON DELETE SET NULL, CONSTRAINT `variants_products_variants` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE NO ACTION);
-- Create index "variants_sku_key" to table: "variants"
CREATE UNIQUE INDEX `variants_sku_key` ON `variants` (`sku`);
-- Create "location_channels" table
CREATE TABLE `location_channels` (`location_id` text NOT NULL, `channel_id` text NOT NULL, PRIMARY KEY (`location_id`, `channel_id`), CONSTRAINT `location_channels_location_id` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE CASCADE, CONSTRAINT `location_channels_channel_id` FOREIGN KEY (`channel_id`) REFERENCES `channels` (`id`) ON DELETE CASCADE);
