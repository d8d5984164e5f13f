/*
 * Alert rules and their deliveries, as the OpenAPI document defines them.
 */
import type { AstroApiSchemas } from './schemas';

/**
 * An alert rule on a workspace (all its Deployments) or one Deployment.
 *
 * @public
 */
export type AlertRule = AstroApiSchemas['AlertRule'];

/**
 * What an alert rule alerts on.
 *
 * @public
 */
export type AlertRuleType = AstroApiSchemas['AlertRuleType'];

/**
 * A new alert rule.
 *
 * @public
 */
export type AlertRuleCreate = AstroApiSchemas['AlertRuleCreate'];

/**
 * Changes to an alert rule.
 *
 * @public
 */
export type AlertRulePatch = AstroApiSchemas['AlertRulePatch'];

/**
 * A channel of an alert rule as stored, without secret values.
 *
 * @public
 */
export type AlertChannel = AstroApiSchemas['AlertChannel'];

/**
 * A channel of an alert rule as written (secrets are write-only).
 *
 * @public
 */
export type AlertChannelInput = AstroApiSchemas['AlertChannelInput'];

/**
 * Where an alert goes.
 *
 * @public
 */
export type AlertChannelType = AstroApiSchemas['AlertChannelType'];

/**
 * The least incident severity an incident rule alerts on.
 *
 * @public
 */
export type AlertSeverity = AstroApiSchemas['AlertSeverity'];

/**
 * One alert sent (or tried) to one channel.
 *
 * @public
 */
export type AlertDelivery = AstroApiSchemas['AlertDelivery'];
