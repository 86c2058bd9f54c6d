-- Create index "order_placed_at" to table: "orders"
CREATE INDEX `order_placed_at` ON `orders` (`placed_at`);
-- Create index "order_status_placed_at" to table: "orders"
CREATE INDEX `order_status_placed_at` ON `orders` (`status`, `placed_at`);
-- Create index "order_channel_id_placed_at" to table: "orders"
CREATE INDEX `order_channel_id_placed_at` ON `orders` (`channel_id`, `placed_at`);
-- Create index "order_number" to table: "orders"
CREATE INDEX `order_number` ON `orders` (`number`);
-- Create index "customer_phone" to table: "customers"
CREATE INDEX `customer_phone` ON `customers` (`phone`);
-- Create "sign_in_attempts" table
CREATE TABLE `sign_in_attempts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `email` text NOT NULL, `ip` text NOT NULL, `ok` bool NOT NULL, `created_at` datetime NOT NULL);
-- Create index "signinattempt_email_created_at" to table: "sign_in_attempts"
CREATE INDEX `signinattempt_email_created_at` ON `sign_in_attempts` (`email`, `created_at`);
-- Create index "signinattempt_ip_created_at" to table: "sign_in_attempts"
CREATE INDEX `signinattempt_ip_created_at` ON `sign_in_attempts` (`ip`, `created_at`);
-- Create index "signinattempt_created_at" to table: "sign_in_attempts"
CREATE INDEX `signinattempt_created_at` ON `sign_in_attempts` (`created_at`);
-- Create "staff_sessions" table
CREATE TABLE `staff_sessions` (`id` text NOT NULL, `token_hash` text NOT NULL, `csrf_token` text NOT NULL, `created_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `user_agent` text NOT NULL DEFAULT (''), `ip` text NOT NULL DEFAULT (''), `staff_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `staff_sessions_staff_users_sessions` FOREIGN KEY (`staff_id`) REFERENCES `staff_users` (`id`) ON DELETE NO ACTION);
-- Create index "staff_sessions_token_hash_key" to table: "staff_sessions"
CREATE UNIQUE INDEX `staff_sessions_token_hash_key` ON `staff_sessions` (`token_hash`);
-- Create index "staffsession_staff_id" to table: "staff_sessions"
CREATE INDEX `staffsession_staff_id` ON `staff_sessions` (`staff_id`);
-- Create index "staffsession_expires_at" to table: "staff_sessions"
CREATE INDEX `staffsession_expires_at` ON `staff_sessions` (`expires_at`);
-- Create "staff_users" table
CREATE TABLE `staff_users` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL DEFAULT (''), `role` text NOT NULL, `password_hash` text NOT NULL, `disabled_at` datetime NULL, `last_sign_in_at` datetime NULL, `saved_views` json NULL, PRIMARY KEY (`id`));
-- Create index "staff_users_email_key" to table: "staff_users"
CREATE UNIQUE INDEX `staff_users_email_key` ON `staff_users` (`email`);
