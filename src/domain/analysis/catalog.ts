/**
 * The tool catalog: common SaaS tools with their vendor, category, aliases and the public
 * facts the analysis uses. Facts are recorded only where a public source was checked, with
 * the source and the date; anything not checked is `null` (unknown), never a guess. The
 * analysis treats unknown as unknown: no price-based savings, no SSO/SOC 2 risk claimed.
 *
 * Classification (vendor, category, overlaps) is editorial, not a price claim.
 */

export type Category =
  | 'communication'
  | 'video_conferencing'
  | 'project_management'
  | 'documentation'
  | 'file_storage'
  | 'design'
  | 'whiteboard'
  | 'office_suite'
  | 'engineering'
  | 'code_hosting'
  | 'ci_cd'
  | 'monitoring'
  | 'error_tracking'
  | 'incident_management'
  | 'feature_flags'
  | 'crm'
  | 'sales'
  | 'customer_support'
  | 'marketing'
  | 'email_marketing'
  | 'social_media'
  | 'seo'
  | 'website'
  | 'analytics'
  | 'business_intelligence'
  | 'hr'
  | 'payroll'
  | 'finance'
  | 'accounting'
  | 'expenses'
  | 'e_signature'
  | 'security'
  | 'password_management'
  | 'identity'
  | 'device_management'
  | 'scheduling'
  | 'forms'
  | 'video_messaging'
  | 'ai_assistant'
  | 'meeting_notes'
  | 'product_management'
  | 'cloud'
  | 'data'
  | 'automation'
  | 'learning'
  | 'productivity';

/** One paid tier of a vendor's price list, in USD per seat per month. */
export interface TierFact {
  name: string;
  /** Billed monthly; null where the vendor sells this tier annually only, or it is unknown. */
  monthly: number | null;
  /** Billed annually, per month; null where unknown. */
  annualMonthly: number | null;
  /** SAML SSO included on this tier: true/false where the source says, null unknown. */
  sso: boolean | null;
}

export interface PriceFact {
  /** List price per seat per month when billed monthly, in USD. */
  monthly: number | null;
  /** Per seat per month when billed annually, in USD. */
  annualMonthly: number | null;
  /** The tier these prices belong to (the typical tier a team buys). */
  tier: string;
  source: string;
  /** When the source read the vendor's page. */
  checkedOn: string;
  /** The vendor's paid per-seat tiers, cheapest first, where the source lists them. */
  tiers?: readonly TierFact[];
}

export interface CatalogEntry {
  name: string;
  vendor: string;
  category: Category;
  aliases: readonly string[];
  price: PriceFact | null;
  /** SSO/SAML offered: true/false where checked, null unknown; with the tier that includes it. */
  sso: { available: boolean | null; tier: string | null; source: string | null };
  /** The vendor publishes a SOC 2 report: true/false where checked, null unknown. */
  soc2: boolean | null;
}

type Extra = Partial<Pick<CatalogEntry, 'price' | 'sso' | 'soc2'>>;

/**
 * A price list of several tiers: the typical tier's prices become the entry's `price`, the
 * whole ladder its `tiers` (the analysis recognises the tier a team pays for by its unit price).
 */
function ladder(source: string, checkedOn: string, typical: string, tiers: TierFact[]): PriceFact {
  const t = tiers.find((tier) => tier.name === typical);
  if (!t) throw new Error(`catalog: typical tier ${typical} is not in the ladder`);
  return { monthly: t.monthly, annualMonthly: t.annualMonthly, tier: typical, source, checkedOn, tiers };
}

const tier = (name: string, monthly: number | null, annualMonthly: number | null, sso: boolean | null): TierFact => ({
  name,
  monthly,
  annualMonthly,
  sso,
});

/** Where most of the price lists below were transcribed from the vendors' pages (with the date of the read). */
const EVANGELIST = (vendor: string, read: string, how: 'read' | 'sweep') =>
  `github.com/api-evangelist/${vendor} plans/${vendor}-plans-pricing.yml (${how === 'read' ? 'vendor page read' : 'bulk sweep of the vendor page'} ${read})`;

function tool(
  name: string,
  vendor: string,
  category: Category,
  aliases: string[] = [],
  extra: Extra = {},
): CatalogEntry {
  return {
    name,
    vendor,
    category,
    aliases,
    price: extra.price ?? null,
    sso: extra.sso ?? { available: null, tier: null, source: null },
    soc2: extra.soc2 ?? null,
  };
}

export const CATALOG: readonly CatalogEntry[] = Object.freeze([
  // Communication and meetings
  tool('Slack', 'Salesforce', 'communication', ['slack technologies'], {
    price: ladder(
      `slack.com/pricing (${EVANGELIST('slack', '2026-05-04', 'sweep')}; Pro also owostack.com/pricing-templates/per-seat-billing, 2026-03-09)`,
      '2026-05-04',
      'Pro',
      [tier('Pro', 8.75, 7.25, false), tier('Business+', 18, 15, true)],
    ),
    sso: { available: true, tier: 'Business+', source: 'slack.com/pricing (SAML SSO on Business+)' },
  }),
  tool('Microsoft Teams', 'Microsoft', 'communication', ['ms teams', 'teams']),
  tool('Google Chat', 'Google', 'communication', ['hangouts chat']),
  tool('Discord', 'Discord', 'communication'),
  tool('Mattermost', 'Mattermost', 'communication'),
  tool('Rocket.Chat', 'Rocket.Chat', 'communication', ['rocketchat']),
  tool('Zoho Cliq', 'Zoho', 'communication'),
  tool('Chanty', 'Chanty', 'communication'),
  tool('Zoom', 'Zoom Communications', 'video_conferencing', ['zoom workplace', 'zoom meetings', 'zoom video'], {
    price: ladder(`zoom.us/pricing (${EVANGELIST('zoom', '2026-05-04', 'sweep')})`, '2026-05-04', 'Pro', [
      tier('Pro', 16.99, 13.33, false),
      tier('Business', 21.99, 18.33, true),
    ]),
    sso: {
      available: true,
      tier: 'accounts with 10+ licensed users',
      source: 'soaklabs.com/Blog/zoom-licensing-overview-enterprise-pricing',
    },
  }),
  tool('Google Meet', 'Google', 'video_conferencing', ['hangouts meet']),
  tool('Webex', 'Cisco', 'video_conferencing', ['cisco webex', 'webex meetings']),
  tool('GoTo Meeting', 'GoTo', 'video_conferencing', ['gotomeeting', 'goto']),
  tool('Whereby', 'Whereby', 'video_conferencing'),
  tool('RingCentral', 'RingCentral', 'video_conferencing', ['ringcentral video', 'ringcentral mvp']),
  tool('Dialpad', 'Dialpad', 'communication'),
  tool('Aircall', 'Aircall', 'communication'),
  tool('Zoom Phone', 'Zoom Communications', 'communication'),
  tool('Loom', 'Atlassian', 'video_messaging'),
  tool('Vidyard', 'Vidyard', 'video_messaging'),
  tool('Claap', 'Claap', 'video_messaging'),
  tool('Otter.ai', 'Otter.ai', 'meeting_notes', ['otter']),
  tool('Fireflies.ai', 'Fireflies.ai', 'meeting_notes', ['fireflies']),
  tool('Fathom', 'Fathom', 'meeting_notes'),
  tool('Gong', 'Gong', 'sales', ['gong.io']),
  tool('Chorus', 'ZoomInfo', 'sales', ['chorus.ai']),
  // Office suites, documents, storage
  tool('Google Workspace', 'Google', 'office_suite', ['g suite', 'gsuite', 'google apps'], {
    price: {
      monthly: 14.4,
      annualMonthly: 12,
      tier: 'Business Standard (Flexible vs Annual/Fixed-Term plan)',
      source: 'support.google.com/a/answer/1230658 (standard US prices, Business editions)',
      checkedOn: '2026-11-27',
    },
  }),
  tool('Microsoft 365', 'Microsoft', 'office_suite', ['office 365', 'o365', 'm365', 'microsoft office']),
  tool('Zoho Workplace', 'Zoho', 'office_suite'),
  tool('Notion', 'Notion Labs', 'documentation', ['notion.so'], {
    // Business is given at its annual price only (matching Plus's 10 annual in the same source).
    price: ladder(
      `notion.com/pricing (via sasanova.com/guides/notion-growth-path, March 2026; ${EVANGELIST('notion', '2026-05-04', 'sweep')})`,
      '2026-05-04',
      'Plus',
      [tier('Plus', 12, 10, false), tier('Business', null, 20, true)],
    ),
    sso: { available: true, tier: 'Business', source: 'sasanova.com/guides/notion-growth-path (SAML SSO on Business)' },
  }),
  tool('Confluence', 'Atlassian', 'documentation', ['atlassian confluence']),
  tool('Coda', 'Coda', 'documentation', ['coda.io']),
  tool('Slite', 'Slite', 'documentation'),
  tool('Guru', 'Guru', 'documentation', ['getguru']),
  tool('Nuclino', 'Nuclino', 'documentation'),
  tool('Quip', 'Salesforce', 'documentation'),
  tool('Tettra', 'Tettra', 'documentation'),
  tool('GitBook', 'GitBook', 'documentation'),
  tool('Dropbox', 'Dropbox', 'file_storage', ['dropbox business'], {
    sso: {
      available: true,
      tier: 'Advanced',
      source: `dropbox.com/plans (${EVANGELIST('dropbox', '2026-05-04', 'sweep')})`,
    },
  }),
  tool('Google Drive', 'Google', 'file_storage', ['gdrive']),
  tool('OneDrive', 'Microsoft', 'file_storage', ['onedrive for business']),
  tool('Box', 'Box', 'file_storage', ['box.com']),
  tool('Egnyte', 'Egnyte', 'file_storage'),
  tool('SharePoint', 'Microsoft', 'file_storage', ['sharepoint online']),
  // Project and product management
  tool('Asana', 'Asana', 'project_management', [], {
    price: ladder(`asana.com/pricing (${EVANGELIST('asana', '2026-05-04', 'sweep')})`, '2026-05-04', 'Starter', [
      tier('Starter', 13.49, 10.99, false),
      tier('Advanced', 30.49, 24.99, false),
    ]),
    sso: { available: true, tier: 'Enterprise', source: 'asana.com/pricing (SAML on Enterprise)' },
  }),
  tool('Jira', 'Atlassian', 'project_management', ['jira software', 'atlassian jira']),
  tool('Monday.com', 'monday.com', 'project_management', ['monday', 'monday work management']),
  tool('Trello', 'Atlassian', 'project_management', [], {
    price: ladder(`trello.com/pricing (${EVANGELIST('trello', '2026-09-17', 'read')})`, '2026-09-17', 'Standard', [
      tier('Standard', 6, 5, null),
      tier('Premium', 12.5, 10, null),
      tier('Enterprise', null, 17.5, true),
    ]),
    sso: { available: true, tier: 'Enterprise', source: 'trello.com/pricing (SSO with Atlassian Guard on Enterprise)' },
  }),
  tool('ClickUp', 'ClickUp', 'project_management', [], {
    price: ladder(`clickup.com/pricing (${EVANGELIST('clickup', '2026-09-17', 'read')})`, '2026-09-17', 'Unlimited', [
      tier('Unlimited', 10, 7, false),
      tier('Business', 19, 12, false),
    ]),
    sso: { available: true, tier: 'Enterprise', source: 'clickup.com/pricing (SAML/SCIM on Enterprise)' },
  }),
  tool('Wrike', 'Wrike', 'project_management'),
  tool('Basecamp', '37signals', 'project_management'),
  tool('Smartsheet', 'Smartsheet', 'project_management'),
  tool('Linear', 'Linear', 'project_management', ['linear.app'], {
    sso: {
      available: true,
      tier: 'Enterprise',
      source: `linear.app/pricing (${EVANGELIST('linear', '2026-05-04', 'sweep')})`,
    },
  }),
  tool('Teamwork.com', 'Teamwork', 'project_management', ['teamwork']),
  tool('Shortcut', 'Shortcut', 'project_management', ['clubhouse.io']),
  tool('Height', 'Height', 'project_management'),
  tool('Airtable', 'Airtable', 'data', [], {
    // The source gives the annual prices only.
    price: ladder(`airtable.com/pricing (${EVANGELIST('airtable', '2026-05-04', 'sweep')})`, '2026-05-04', 'Team', [
      tier('Team', null, 20, null),
      tier('Business', null, 45, null),
    ]),
  }),
  tool('Productboard', 'Productboard', 'product_management'),
  tool('Aha!', 'Aha! Labs', 'product_management', ['aha']),
  tool('Pendo', 'Pendo', 'product_management'),
  // Design and whiteboards
  tool('Figma', 'Figma', 'design', [], {
    // Professional's price is given without its billing cycle, so it is left unknown.
    price: ladder(`figma.com/pricing (${EVANGELIST('figma', '2026-05-04', 'sweep')})`, '2026-05-04', 'Organization', [
      tier('Professional', null, null, false),
      tier('Organization', null, 55, true),
      tier('Enterprise', null, 90, true),
    ]),
    sso: { available: true, tier: 'Organization', source: 'figma.com/pricing-faq (SAML-based SSO on Organization)' },
  }),
  tool('Sketch', 'Sketch', 'design'),
  tool('Adobe XD', 'Adobe', 'design'),
  tool('Adobe Creative Cloud', 'Adobe', 'design', ['creative cloud', 'adobe cc']),
  tool('Canva', 'Canva', 'design', ['canva teams', 'canva pro']),
  tool('InVision', 'InVision', 'design'),
  tool('Framer', 'Framer', 'website'),
  tool('Miro', 'Miro', 'whiteboard', ['realtimeboard']),
  tool('FigJam', 'Figma', 'whiteboard'),
  tool('Mural', 'Mural', 'whiteboard'),
  tool('Lucid', 'Lucid Software', 'whiteboard', ['lucidchart', 'lucidspark']),
  tool('Whimsical', 'Whimsical', 'whiteboard'),
  // Engineering
  tool('GitHub', 'Microsoft', 'code_hosting', ['github enterprise', 'github team'], {
    // github.com/pricing shows one per-user price for both billing cycles.
    price: ladder(
      'github.com/pricing (github.com/api-evangelist/github plans/github-plans-pricing.yml, vendor page read 2026-09-20)',
      '2026-09-20',
      'Team',
      [tier('Team', 4, 4, false), tier('Enterprise', 21, 21, true)],
    ),
    sso: { available: true, tier: 'Enterprise', source: 'github.com/pricing (SAML SSO on Enterprise)' },
  }),
  tool('GitLab', 'GitLab', 'code_hosting', [], {
    price: {
      monthly: null,
      annualMonthly: 29,
      tier: 'Premium (billed annually)',
      source: `about.gitlab.com/pricing (${EVANGELIST('gitlab', '2026-09-20', 'read')})`,
      checkedOn: '2026-09-20',
    },
  }),
  tool('Bitbucket', 'Atlassian', 'code_hosting'),
  tool('GitHub Copilot', 'Microsoft', 'ai_assistant', ['copilot for github']),
  tool('Cursor', 'Anysphere', 'ai_assistant'),
  tool('CircleCI', 'CircleCI', 'ci_cd'),
  tool('Travis CI', 'Travis CI', 'ci_cd'),
  tool('Buildkite', 'Buildkite', 'ci_cd'),
  tool('Vercel', 'Vercel', 'cloud'),
  tool('Netlify', 'Netlify', 'cloud'),
  tool('Heroku', 'Salesforce', 'cloud'),
  tool('Render', 'Render', 'cloud'),
  tool('Amazon Web Services', 'Amazon', 'cloud', ['aws']),
  tool('Google Cloud', 'Google', 'cloud', ['gcp', 'google cloud platform']),
  tool('Microsoft Azure', 'Microsoft', 'cloud', ['azure']),
  tool('DigitalOcean', 'DigitalOcean', 'cloud'),
  tool('Cloudflare', 'Cloudflare', 'security'),
  tool('Datadog', 'Datadog', 'monitoring'),
  tool('New Relic', 'New Relic', 'monitoring'),
  tool('Dynatrace', 'Dynatrace', 'monitoring'),
  tool('Grafana Cloud', 'Grafana Labs', 'monitoring', ['grafana']),
  tool('Honeycomb', 'Honeycomb', 'monitoring'),
  tool('Splunk', 'Cisco', 'monitoring'),
  tool('Sentry', 'Sentry', 'error_tracking', [], {
    sso: {
      available: true,
      tier: 'Business',
      source: `sentry.io/pricing (${EVANGELIST('sentry', '2026-05-04', 'sweep')})`,
    },
  }),
  tool('Rollbar', 'Rollbar', 'error_tracking'),
  tool('Bugsnag', 'SmartBear', 'error_tracking'),
  tool('PagerDuty', 'PagerDuty', 'incident_management'),
  tool('Opsgenie', 'Atlassian', 'incident_management'),
  tool('incident.io', 'incident.io', 'incident_management'),
  tool('FireHydrant', 'FireHydrant', 'incident_management'),
  tool('Statuspage', 'Atlassian', 'incident_management'),
  tool('LaunchDarkly', 'LaunchDarkly', 'feature_flags'),
  tool('Statsig', 'Statsig', 'feature_flags'),
  tool('Split', 'Harness', 'feature_flags', ['split.io']),
  tool('Postman', 'Postman', 'engineering'),
  tool('Docker', 'Docker', 'engineering', ['docker desktop', 'docker business']),
  tool('JetBrains', 'JetBrains', 'engineering', ['intellij', 'jetbrains all products']),
  tool('Snyk', 'Snyk', 'security'),
  tool('Segment', 'Twilio', 'data', ['twilio segment']),
  tool('Snowflake', 'Snowflake', 'data'),
  tool('Fivetran', 'Fivetran', 'data'),
  tool('Twilio', 'Twilio', 'engineering'),
  // Sales, CRM, support, marketing
  tool('Salesforce', 'Salesforce', 'crm', ['salesforce sales cloud', 'sfdc', 'sales cloud']),
  tool('HubSpot', 'HubSpot', 'crm', ['hubspot crm', 'hubspot sales hub', 'hubspot marketing hub']),
  tool('Pipedrive', 'Pipedrive', 'crm'),
  tool('Zoho CRM', 'Zoho', 'crm'),
  tool('Close', 'Close', 'crm', ['close.com', 'close crm']),
  tool('Copper', 'Copper', 'crm'),
  tool('Attio', 'Attio', 'crm'),
  tool('Freshsales', 'Freshworks', 'crm'),
  tool('Apollo.io', 'Apollo', 'sales', ['apollo']),
  tool('ZoomInfo', 'ZoomInfo', 'sales'),
  tool('LinkedIn Sales Navigator', 'Microsoft', 'sales', ['sales navigator']),
  tool('Outreach', 'Outreach', 'sales'),
  tool('Salesloft', 'Salesloft', 'sales'),
  tool('Zendesk', 'Zendesk', 'customer_support'),
  tool('Intercom', 'Intercom', 'customer_support'),
  tool('Freshdesk', 'Freshworks', 'customer_support'),
  tool('Help Scout', 'Help Scout', 'customer_support', ['helpscout']),
  tool('Front', 'Front', 'customer_support', ['frontapp']),
  tool('Gorgias', 'Gorgias', 'customer_support'),
  tool('Mailchimp', 'Intuit', 'email_marketing'),
  tool('Klaviyo', 'Klaviyo', 'email_marketing'),
  tool('Brevo', 'Brevo', 'email_marketing', ['sendinblue']),
  tool('ActiveCampaign', 'ActiveCampaign', 'email_marketing'),
  tool('Constant Contact', 'Constant Contact', 'email_marketing'),
  tool('Kit', 'Kit', 'email_marketing', ['convertkit']),
  tool('Marketo', 'Adobe', 'marketing', ['marketo engage']),
  tool('Hootsuite', 'Hootsuite', 'social_media'),
  tool('Buffer', 'Buffer', 'social_media'),
  tool('Sprout Social', 'Sprout Social', 'social_media'),
  tool('Semrush', 'Semrush', 'seo'),
  tool('Ahrefs', 'Ahrefs', 'seo'),
  tool('Moz', 'Moz', 'seo', ['moz pro']),
  tool('Webflow', 'Webflow', 'website'),
  tool('WordPress.com', 'Automattic', 'website', ['wordpress']),
  tool('Squarespace', 'Squarespace', 'website'),
  tool('Wix', 'Wix', 'website'),
  tool('Hotjar', 'Contentsquare', 'analytics'),
  tool('Mixpanel', 'Mixpanel', 'analytics'),
  tool('Amplitude', 'Amplitude', 'analytics'),
  tool('Heap', 'Contentsquare', 'analytics'),
  tool('PostHog', 'PostHog', 'analytics'),
  tool('Google Analytics', 'Google', 'analytics', ['ga4']),
  tool('Tableau', 'Salesforce', 'business_intelligence'),
  tool('Looker', 'Google', 'business_intelligence'),
  tool('Power BI', 'Microsoft', 'business_intelligence', ['microsoft power bi']),
  tool('Metabase', 'Metabase', 'business_intelligence'),
  tool('Mode', 'ThoughtSpot', 'business_intelligence', ['mode analytics']),
  // People, finance, legal
  tool('BambooHR', 'BambooHR', 'hr'),
  tool('Rippling', 'Rippling', 'hr'),
  tool('HiBob', 'HiBob', 'hr', ['bob']),
  tool('Personio', 'Personio', 'hr'),
  tool('Workday', 'Workday', 'hr'),
  tool('Lattice', 'Lattice', 'hr'),
  tool('Culture Amp', 'Culture Amp', 'hr'),
  tool('Greenhouse', 'Greenhouse', 'hr'),
  tool('Lever', 'Employ', 'hr'),
  tool('Ashby', 'Ashby', 'hr'),
  tool('Gusto', 'Gusto', 'payroll'),
  tool('Deel', 'Deel', 'payroll'),
  tool('Remote', 'Remote', 'payroll', ['remote.com']),
  tool('Justworks', 'Justworks', 'payroll'),
  tool('QuickBooks Online', 'Intuit', 'accounting', ['quickbooks', 'qbo']),
  tool('Xero', 'Xero', 'accounting'),
  tool('NetSuite', 'Oracle', 'accounting', ['oracle netsuite']),
  tool('FreshBooks', 'FreshBooks', 'accounting'),
  tool('Sage Intacct', 'Sage', 'accounting', ['sage']),
  tool('Bill.com', 'BILL', 'finance', ['bill', 'bill.com ap']),
  tool('Stripe', 'Stripe', 'finance'),
  tool('Expensify', 'Expensify', 'expenses'),
  tool('Ramp', 'Ramp', 'expenses'),
  tool('Brex', 'Brex', 'expenses'),
  tool('Navan', 'Navan', 'expenses', ['tripactions']),
  tool('Spendesk', 'Spendesk', 'expenses'),
  tool('Pleo', 'Pleo', 'expenses'),
  tool('DocuSign', 'Docusign', 'e_signature', ['docusign esignature'], {
    price: ladder(
      `docusign.com eSignature plans (${EVANGELIST('docusign', '2026-05-04', 'sweep')})`,
      '2026-05-04',
      'Standard',
      [tier('Standard', 45, 25, null), tier('Business Pro', 65, 40, null)],
    ),
  }),
  tool('Dropbox Sign', 'Dropbox', 'e_signature', ['hellosign']),
  tool('PandaDoc', 'PandaDoc', 'e_signature'),
  tool('Adobe Acrobat Sign', 'Adobe', 'e_signature', ['adobe sign', 'echosign']),
  tool('Adobe Acrobat', 'Adobe', 'office_suite', ['acrobat pro', 'adobe acrobat pro']),
  tool('Ironclad', 'Ironclad', 'e_signature'),
  // Security and IT
  tool('Okta', 'Okta', 'identity', ['okta workforce identity']),
  tool('OneLogin', 'One Identity', 'identity'),
  tool('JumpCloud', 'JumpCloud', 'identity'),
  tool('Microsoft Entra ID', 'Microsoft', 'identity', ['azure ad', 'azure active directory', 'entra id']),
  tool('1Password', 'AgileBits', 'password_management', ['1password business', 'one password'], {
    price: {
      monthly: null,
      annualMonthly: 7.99,
      tier: 'Business (billed annually)',
      source: `1password.com/business-pricing (${EVANGELIST('1password', '2026-05-04', 'sweep')})`,
      checkedOn: '2026-05-04',
    },
    sso: {
      available: true,
      tier: 'Business',
      source: '1password.com/business-pricing (SSO with Okta, Entra ID, OneLogin, Duo)',
    },
  }),
  tool('LastPass', 'LastPass', 'password_management'),
  tool('Bitwarden', 'Bitwarden', 'password_management'),
  tool('Dashlane', 'Dashlane', 'password_management'),
  tool('Keeper', 'Keeper Security', 'password_management', ['keeper security']),
  tool('Jamf', 'Jamf', 'device_management', ['jamf pro']),
  tool('Kandji', 'Kandji', 'device_management'),
  tool('Microsoft Intune', 'Microsoft', 'device_management', ['intune']),
  tool('CrowdStrike Falcon', 'CrowdStrike', 'security', ['crowdstrike']),
  tool('SentinelOne', 'SentinelOne', 'security'),
  tool('Vanta', 'Vanta', 'security'),
  tool('Drata', 'Drata', 'security'),
  tool('KnowBe4', 'KnowBe4', 'security'),
  tool('NordLayer', 'Nord Security', 'security', ['nordvpn teams']),
  tool('Tailscale', 'Tailscale', 'security'),
  // Productivity, scheduling, forms, automation, AI, learning
  tool('Calendly', 'Calendly', 'scheduling'),
  tool('Chili Piper', 'Chili Piper', 'scheduling'),
  tool('SavvyCal', 'SavvyCal', 'scheduling'),
  tool('Doodle', 'Doodle', 'scheduling'),
  tool('Typeform', 'Typeform', 'forms'),
  tool('SurveyMonkey', 'SurveyMonkey', 'forms', ['momentive']),
  tool('Jotform', 'Jotform', 'forms'),
  tool('Tally', 'Tally', 'forms', ['tally.so']),
  tool('Zapier', 'Zapier', 'automation'),
  tool('Make', 'Make', 'automation', ['integromat', 'make.com']),
  tool('n8n', 'n8n', 'automation'),
  tool('ChatGPT', 'OpenAI', 'ai_assistant', ['chatgpt team', 'chatgpt enterprise', 'chatgpt business', 'openai']),
  tool('Claude', 'Anthropic', 'ai_assistant', ['claude team', 'claude.ai']),
  tool('Gemini', 'Google', 'ai_assistant', ['google gemini', 'gemini for workspace']),
  tool('Microsoft 365 Copilot', 'Microsoft', 'ai_assistant', ['microsoft copilot', 'copilot for microsoft 365']),
  tool('Perplexity', 'Perplexity', 'ai_assistant', ['perplexity pro', 'perplexity enterprise']),
  tool('Grammarly', 'Grammarly', 'ai_assistant', ['grammarly business']),
  tool('Jasper', 'Jasper', 'ai_assistant', ['jasper ai']),
  tool('LinkedIn Learning', 'Microsoft', 'learning'),
  tool('Udemy Business', 'Udemy', 'learning', ['udemy']),
  tool('Coursera for Business', 'Coursera', 'learning', ['coursera']),
  tool('Todoist', 'Doist', 'productivity'),
  tool('Evernote', 'Bending Spoons', 'documentation'),
]);

/**
 * Tools that do the same job, beyond sharing a category: a stack with two of a group pays
 * twice for one need. Names are catalog names.
 */
export const OVERLAP_GROUPS: readonly { need: string; tools: readonly string[] }[] = Object.freeze([
  {
    need: 'team chat',
    tools: ['Slack', 'Microsoft Teams', 'Google Chat', 'Mattermost', 'Rocket.Chat', 'Zoho Cliq', 'Chanty', 'Discord'],
  },
  {
    need: 'video meetings',
    tools: ['Zoom', 'Google Meet', 'Microsoft Teams', 'Webex', 'GoTo Meeting', 'Whereby', 'RingCentral'],
  },
  {
    need: 'docs and wiki',
    tools: ['Notion', 'Confluence', 'Coda', 'Slite', 'Guru', 'Nuclino', 'Quip', 'Tettra', 'GitBook', 'Evernote'],
  },
  {
    need: 'project tracking',
    tools: [
      'Asana',
      'Jira',
      'Monday.com',
      'Trello',
      'ClickUp',
      'Wrike',
      'Basecamp',
      'Smartsheet',
      'Linear',
      'Teamwork.com',
      'Shortcut',
      'Height',
    ],
  },
  { need: 'file storage', tools: ['Dropbox', 'Google Drive', 'OneDrive', 'Box', 'Egnyte', 'SharePoint'] },
  { need: 'office suite', tools: ['Google Workspace', 'Microsoft 365', 'Zoho Workplace'] },
  { need: 'interface design', tools: ['Figma', 'Sketch', 'Adobe XD', 'InVision'] },
  { need: 'whiteboards', tools: ['Miro', 'FigJam', 'Mural', 'Lucid', 'Whimsical'] },
  { need: 'code hosting', tools: ['GitHub', 'GitLab', 'Bitbucket'] },
  { need: 'observability', tools: ['Datadog', 'New Relic', 'Dynatrace', 'Grafana Cloud', 'Honeycomb', 'Splunk'] },
  { need: 'error tracking', tools: ['Sentry', 'Rollbar', 'Bugsnag'] },
  { need: 'on-call and incidents', tools: ['PagerDuty', 'Opsgenie', 'incident.io', 'FireHydrant'] },
  { need: 'feature flags', tools: ['LaunchDarkly', 'Statsig', 'Split'] },
  { need: 'CRM', tools: ['Salesforce', 'HubSpot', 'Pipedrive', 'Zoho CRM', 'Close', 'Copper', 'Attio', 'Freshsales'] },
  { need: 'customer support', tools: ['Zendesk', 'Intercom', 'Freshdesk', 'Help Scout', 'Front', 'Gorgias'] },
  { need: 'email marketing', tools: ['Mailchimp', 'Klaviyo', 'Brevo', 'ActiveCampaign', 'Constant Contact', 'Kit'] },
  { need: 'social media scheduling', tools: ['Hootsuite', 'Buffer', 'Sprout Social'] },
  { need: 'SEO research', tools: ['Semrush', 'Ahrefs', 'Moz'] },
  { need: 'product analytics', tools: ['Mixpanel', 'Amplitude', 'Heap', 'PostHog'] },
  { need: 'BI dashboards', tools: ['Tableau', 'Looker', 'Power BI', 'Metabase', 'Mode'] },
  { need: 'HR system', tools: ['BambooHR', 'Rippling', 'HiBob', 'Personio', 'Workday'] },
  { need: 'applicant tracking', tools: ['Greenhouse', 'Lever', 'Ashby'] },
  { need: 'payroll', tools: ['Gusto', 'Rippling', 'Deel', 'Remote', 'Justworks'] },
  { need: 'accounting', tools: ['QuickBooks Online', 'Xero', 'NetSuite', 'FreshBooks', 'Sage Intacct'] },
  { need: 'spend management', tools: ['Expensify', 'Ramp', 'Brex', 'Navan', 'Spendesk', 'Pleo'] },
  { need: 'e-signature', tools: ['DocuSign', 'Dropbox Sign', 'PandaDoc', 'Adobe Acrobat Sign'] },
  { need: 'single sign-on', tools: ['Okta', 'OneLogin', 'JumpCloud', 'Microsoft Entra ID'] },
  { need: 'password manager', tools: ['1Password', 'LastPass', 'Bitwarden', 'Dashlane', 'Keeper'] },
  { need: 'device management', tools: ['Jamf', 'Kandji', 'Microsoft Intune'] },
  { need: 'compliance automation', tools: ['Vanta', 'Drata'] },
  { need: 'scheduling links', tools: ['Calendly', 'Chili Piper', 'SavvyCal', 'Doodle'] },
  { need: 'forms and surveys', tools: ['Typeform', 'SurveyMonkey', 'Jotform', 'Tally'] },
  { need: 'workflow automation', tools: ['Zapier', 'Make', 'n8n'] },
  { need: 'AI assistant', tools: ['ChatGPT', 'Claude', 'Gemini', 'Microsoft 365 Copilot', 'Perplexity'] },
  { need: 'async video', tools: ['Loom', 'Vidyard', 'Claap'] },
  { need: 'meeting notes', tools: ['Otter.ai', 'Fireflies.ai', 'Fathom'] },
  { need: 'conversation intelligence', tools: ['Gong', 'Chorus'] },
  { need: 'sales engagement', tools: ['Outreach', 'Salesloft', 'Apollo.io'] },
  { need: 'website builder', tools: ['Webflow', 'WordPress.com', 'Squarespace', 'Wix', 'Framer'] },
  { need: 'online courses', tools: ['LinkedIn Learning', 'Udemy Business', 'Coursera for Business'] },
  { need: 'endpoint protection', tools: ['CrowdStrike Falcon', 'SentinelOne'] },
  { need: 'business VPN', tools: ['NordLayer', 'Tailscale'] },
]);

/** Lower-case letters and digits only: "Monday.com", "monday com" and "MONDAY" meet. */
export const normalizeToolName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '');

const INDEX = new Map<string, CatalogEntry>();
for (const entry of CATALOG) {
  for (const key of [entry.name, ...entry.aliases]) {
    const normalized = normalizeToolName(key);
    if (!INDEX.has(normalized)) INDEX.set(normalized, entry);
  }
}

/** The catalog entry of a tool name or alias, or null for a tool we do not know. */
export function findInCatalog(name: string): CatalogEntry | null {
  return INDEX.get(normalizeToolName(name)) ?? null;
}

/** Catalog entries whose name, alias, vendor or category contains the query (autocomplete). */
export function searchCatalog(query: string, limit = 20): CatalogEntry[] {
  const q = normalizeToolName(query);
  if (!q) return CATALOG.slice(0, limit);
  const scored: { entry: CatalogEntry; score: number }[] = [];
  for (const entry of CATALOG) {
    const name = normalizeToolName(entry.name);
    const score = name.startsWith(q)
      ? 0
      : entry.aliases.some((a) => normalizeToolName(a).startsWith(q))
        ? 1
        : name.includes(q)
          ? 2
          : normalizeToolName(entry.vendor).includes(q) || entry.category.includes(query.toLowerCase())
            ? 3
            : -1;
    if (score >= 0) scored.push({ entry, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.entry.name.localeCompare(b.entry.name))
    .slice(0, limit)
    .map((s) => s.entry);
}
