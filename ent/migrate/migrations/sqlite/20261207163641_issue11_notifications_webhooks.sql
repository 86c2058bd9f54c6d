-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_customers" table
CREATE TABLE `new_customers` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NULL, `name` text NULL, `phone` text NULL, `locale` text NULL, `time_zone` text NULL, `notifications_opt_out` bool NOT NULL DEFAULT (false), `muted_notifications` json NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "customers" to new temporary table "new_customers"
INSERT INTO `new_customers` (`id`, `created_at`, `updated_at`, `email`, `name`, `phone`) SELECT `id`, `created_at`, `updated_at`, `email`, `name`, `phone` FROM `customers`;
-- Drop "customers" table after copying rows
DROP TABLE `customers`;
-- Rename temporary table "new_customers" to "customers"
ALTER TABLE `new_customers` RENAME TO `customers`;
-- Create index "customers_email_key" to table: "customers"
CREATE UNIQUE INDEX `customers_email_key` ON `customers` (`email`);
-- Add column "branding" to table: "channels"
ALTER TABLE `channels` ADD COLUMN `branding` json NULL;
-- Create "notifications" table
CREATE TABLE `notifications` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `customer_id` text NULL, `kind` text NOT NULL, `version` text NOT NULL, `subject_id` text NULL, `provider` text NOT NULL, `recipient` text NULL, `locale` text NULL, `subject` text NULL, `status` text NOT NULL DEFAULT ('PENDING'), `skip_reason` text NULL, `attempts` integer NOT NULL DEFAULT (0), `last_error` text NULL, `message_id` text NULL, `sent_at` datetime NULL, `facts` json NULL, `event_id` integer NULL, `order_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `notifications_orders_notifications` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION);
-- Create index "notification_order_id_kind_version_provider" to table: "notifications"
CREATE UNIQUE INDEX `notification_order_id_kind_version_provider` ON `notifications` (`order_id`, `kind`, `version`, `provider`);
-- Create index "notification_status" to table: "notifications"
CREATE INDEX `notification_status` ON `notifications` (`status`);
-- Create "suppressions" table
CREATE TABLE `suppressions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `address` text NOT NULL, `reason` text NOT NULL DEFAULT ('UNSUBSCRIBED'), PRIMARY KEY (`id`));
-- Create index "suppressions_address_key" to table: "suppressions"
CREATE UNIQUE INDEX `suppressions_address_key` ON `suppressions` (`address`);
-- Create "webhook_attempts" table
CREATE TABLE `webhook_attempts` (`id` text NOT NULL, `event_id` integer NOT NULL, `event_type` text NOT NULL, `order_id` text NULL, `attempt` integer NOT NULL, `redelivery` bool NOT NULL DEFAULT (false), `outcome` text NOT NULL, `status_code` integer NULL, `latency_ms` integer NOT NULL DEFAULT (0), `response` text NULL, `error` text NULL, `created_at` datetime NOT NULL, `endpoint_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhook_attempts_webhook_endpoints_attempts` FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints` (`id`) ON DELETE CASCADE);
-- Create index "webhookattempt_endpoint_id_event_id" to table: "webhook_attempts"
CREATE INDEX `webhookattempt_endpoint_id_event_id` ON `webhook_attempts` (`endpoint_id`, `event_id`);
-- Create index "webhookattempt_created_at" to table: "webhook_attempts"
CREATE INDEX `webhookattempt_created_at` ON `webhook_attempts` (`created_at`);
-- Create "webhook_endpoints" table
CREATE TABLE `webhook_endpoints` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `description` text NULL, `event_types` json NULL, `secret` blob NOT NULL, `previous_secret` blob NULL, `previous_secret_expires_at` datetime NULL, `status` text NOT NULL DEFAULT ('ENABLED'), `disabled_reason` text NULL, `disabled_at` datetime NULL, `cursor_txid` integer NOT NULL DEFAULT (0), `cursor_event_id` integer NOT NULL DEFAULT (0), `attempt` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NULL, `failing_since` datetime NULL, `last_success_at` datetime NULL, `created_by` text NULL, PRIMARY KEY (`id`));
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
