import { defineFunction, defineTrigger, defineTriggerFunction, quoteLiteral, type DbFunction, type DdlObject } from '../../ddl';
import { dottedDecimalIpv4, localNameSuffixes, nonPublicIpv4Ranges, nonPublicIpv6Ranges, publicIpv6Range, webhookSecretNamePrefix } from '../../webhooks';
import { webhookSubscriptions as ws } from '../integrations';

/** `array['a', 'b']::text[]`. */
const textArray = (values: readonly string[]) => `array[${values.map(quoteLiteral).join(', ')}]::text[]`;

/** PL/pgSQL: refuse `v_host` when `address` (an inet expression) is in one of `ranges`, naming the first. */
const refuseInRanges = (address: string, ranges: readonly string[]) => `select r into v_found from pg_catalog.unnest(${textArray(ranges)}) with ordinality as x(r, n)
       where ${address} <<= r::inet order by n limit 1;
      if v_found is not null then
        return 'must be a public address: ' || v_host || ' is in ' || v_found || ', not a public address';
      end if;`;

/**
 * The setting that lists hosts a webhook may target although they are not public (development
 * only): `alter database … set therapy_db.webhook_allowed_hosts = 'localhost,127.0.0.1'`. Only a
 * database administrator sets it; API clients cannot run `set`.
 */
export const webhookAllowedHostsSetting = 'therapy_db.webhook_allowed_hosts';

/**
 * Why a webhook target URL is refused, or null: the rules of `checkWebhookTarget` (src/net), in
 * the same order and words, so the database and the validators refuse the same URLs. Names are not
 * resolved here (the delivery worker does that). Immutable: the allow-list is an argument.
 */
export const webhookTargetProblem: DbFunction = defineFunction({
  schema: 'app',
  name: 'webhook_target_problem',
  args: [
    { name: 'p_url', type: 'text' },
    { name: 'p_allowed_hosts', type: 'text[]', default: "'{}'" },
  ],
  returns: 'text',
  language: 'plpgsql',
  volatility: 'immutable',
  security: 'invoker',
  searchPath: '',
  body: String.raw`
declare
  v_authority text;
  v_parts text[];
  v_host text;
  v_allowed boolean;
  v_address inet;
  v_found text;
begin
  if p_url is null then
    return null;
  end if;
  if not pg_catalog.starts_with(p_url, 'https://') then
    return 'must be an https:// URL';
  end if;
  if p_url ~ '[\x01-\x20\x7f\\]' then
    return 'must not contain whitespace, control characters or backslashes';
  end if;
  v_authority := pg_catalog.substring(p_url, '^https://([^/?#]*)');
  if pg_catalog.strpos(v_authority, '@') > 0 then
    return 'must not contain credentials (user@host)';
  end if;
  v_parts := pg_catalog.regexp_match(v_authority, '^(?:\[([^]]*)\]|([^]:[]*))(?::([0-9]*))?$');
  if v_parts is null then
    return 'has an invalid host or port';
  end if;
  if v_parts[3] is not null then
    if v_parts[3] = '' or pg_catalog.length(v_parts[3]) > 5 then
      return 'has an invalid port';
    end if;
    if v_parts[3]::integer < 1 or v_parts[3]::integer > 65535 then
      return 'has an invalid port';
    end if;
  end if;
  v_host := pg_catalog.regexp_replace(pg_catalog.lower(coalesce(v_parts[1], v_parts[2], '')), '\.$', '');
  if v_host = '' then
    return 'has no host';
  end if;
  v_allowed := v_host in (
    select pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.btrim(h)), '\.$', ''), '^\[(.*)\]$', '\1')
      from pg_catalog.unnest(p_allowed_hosts) h);
  if v_parts[1] is not null then
    if v_host !~ '^[0-9a-f:.]+$' then
      return 'has an invalid IPv6 address';
    end if;
    begin
      v_address := v_host::inet;
    exception when others then
      return 'has an invalid IPv6 address';
    end;
    if pg_catalog.family(v_address) <> 6 then
      return 'has an invalid IPv6 address';
    end if;
    if not v_allowed then
      if not v_address <<= ${quoteLiteral(publicIpv6Range)}::inet then
        return 'must be a public address: ' || v_host || ' is outside ${publicIpv6Range} (global unicast), not a public address';
      end if;
      ${refuseInRanges('v_address', nonPublicIpv6Ranges)}
    end if;
    return null;
  end if;
  if v_host !~ '^[a-z0-9.-]+$' or pg_catalog.left(v_host, 1) = '.' or pg_catalog.right(v_host, 1) = '.' or pg_catalog.strpos(v_host, '..') > 0 then
    return 'must have an ASCII domain name (punycode for international names) or an IP address as its host';
  end if;
  -- URL parsers read a host ending in a number as an IPv4 address (127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1).
  if pg_catalog.substring(v_host, '[^.]*$') ~ '^(?:[0-9]+|0x[0-9a-f]*)$' then
    if v_host !~ ${quoteLiteral(dottedDecimalIpv4.source)} then
      return 'must write an IPv4 address in dotted-decimal notation (a.b.c.d)';
    end if;
    if not v_allowed then
      ${refuseInRanges('v_host::inet', nonPublicIpv4Ranges)}
    end if;
    return null;
  end if;
  if not v_allowed then
    if pg_catalog.strpos(v_host, '.') = 0 then
      return 'must be a public domain name: ' || v_host || ' has a single label';
    end if;
    select s into v_found from pg_catalog.unnest(${textArray(localNameSuffixes)}) with ordinality as x(s, n)
     where v_host = s or pg_catalog.right(v_host, pg_catalog.length(s) + 1) = '.' || s order by n limit 1;
    if v_found is not null then
      return 'must be a public domain name: .' || v_found || ' names are local';
    end if;
  end if;
  return null;
end`,
  comment: 'Why a webhook target URL is refused (https to a public address; hosts in p_allowed_hosts may be non-public), or null. The rules of checkWebhookTarget in the validators.',
});

/**
 * A subscription's target is `https` to a public address (unless the database's
 * `therapy_db.webhook_allowed_hosts` lists its host), and its signing secret is one of its own
 * organisation's: a Supabase Vault secret named `webhooks/<organization id>/<label>`. Another
 * organisation's secret is answered exactly as an id that exists nowhere. Security definer: API
 * roles cannot read `vault.secrets`; the rule holds for every writer.
 */
export const checkWebhookSubscription = defineTriggerFunction({
  name: 'check_webhook_subscription',
  security: 'definer',
  body: `
declare
  v_problem text;
begin
  if tg_op = 'INSERT' or new.target_url is distinct from old.target_url then
    v_problem := app.webhook_target_problem(
      new.target_url,
      pg_catalog.string_to_array(coalesce(pg_catalog.current_setting(${quoteLiteral(webhookAllowedHostsSetting)}, true), ''), ','));
    if v_problem is not null then
      raise exception 'webhook_subscriptions.target_url % (webhook_subscriptions_target_url_public)', v_problem
        using errcode = 'check_violation', table = 'webhook_subscriptions', column = 'target_url',
              constraint = 'webhook_subscriptions_target_url_public';
    end if;
  end if;
  if new.secret_id is not null and new.organization_id is not null
     and (tg_op = 'INSERT' or (new.secret_id, new.organization_id) is distinct from (old.secret_id, old.organization_id))
     and not exists (
       select 1 from vault.secrets s
        where s.id = new.secret_id
          and pg_catalog.starts_with(s.name, ${quoteLiteral(webhookSecretNamePrefix)} || new.organization_id::text || '/')) then
    raise exception 'webhook_subscriptions.secret_id: % is not a webhook signing secret of organisation % (a Supabase Vault secret named ${webhookSecretNamePrefix}<organization id>/<label>) (webhook_subscriptions_secret_id_scope)', new.secret_id, new.organization_id
      using errcode = 'foreign_key_violation', table = 'webhook_subscriptions', column = 'secret_id',
            constraint = 'webhook_subscriptions_secret_id_scope';
  end if;
  return new;
end`,
  comment: "Trigger: a webhook targets https on a public address (or an allow-listed host) and signs with a Vault secret of its own organisation.",
});

export const integrationRules: readonly DdlObject[] = [
  webhookTargetProblem,
  checkWebhookSubscription,
  defineTrigger({
    name: 'webhook_subscriptions_checked',
    table: ws,
    timing: 'before',
    events: ['insert', { updateOf: [ws.targetUrl, ws.secretId, ws.organizationId] }],
    function: checkWebhookSubscription,
  }),
];


