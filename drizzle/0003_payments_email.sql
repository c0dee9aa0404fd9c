CREATE TABLE `email_deliveries` (
	`dedupe_key` text PRIMARY KEY NOT NULL,
	`claimed_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `stripe_session_url` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `stripe_session_expires_at` text;--> statement-breakpoint
CREATE INDEX `orders_stripe_payment_intent_idx` ON `orders` (`stripe_payment_intent_id`);