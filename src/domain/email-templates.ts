/** Email templates: plain text and HTML of each message. Pure: no I/O. */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, paragraphs: string[], action?: { label: string; url: string }): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n');
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#2563eb;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="margin:0 0 16px;color:#555;font-size:13px">Or open this link: ${escapeHtml(action.url)}</p>`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px">${escapeHtml(title)}</h1>
${body}
${button}
<p style="color:#888;font-size:12px">StackAudit</p>
</body></html>`;
}

export function inviteEmail(input: {
  inviterName: string;
  organizationName: string;
  role: string;
  acceptUrl: string;
  expiresAt: Date;
}): RenderedEmail {
  const subject = `${input.inviterName} invited you to ${input.organizationName} on StackAudit`;
  const lines = [
    `${input.inviterName} invited you to join ${input.organizationName} on StackAudit as ${input.role === 'admin' ? 'an' : 'a'} ${input.role}.`,
    `The invitation is valid until ${input.expiresAt.toUTCString()} and can be used once.`,
  ];
  return {
    subject,
    text: `${lines.join('\n\n')}\n\nAccept it here: ${input.acceptUrl}\n\nIf you did not expect this, ignore this email.\n`,
    html: layout(subject, [...lines, 'If you did not expect this, ignore this email.'], {
      label: 'Accept the invitation',
      url: input.acceptUrl,
    }),
  };
}

/** A notification by email: what happened, a line of context, a link to the audit. */
/** At most SUBJECT_MAX characters, cut with an ellipsis. */
const SUBJECT_MAX = 200;
export const subjectLine = (text: string): string =>
  text.length > SUBJECT_MAX ? `${text.slice(0, SUBJECT_MAX - 1)}…` : text;

export function notificationEmail(input: {
  subject: string;
  lines: string[];
  url: string;
  action: string;
}): RenderedEmail {
  const footer = 'You get this because of your StackAudit notification settings; change them under Profile.';
  return {
    // Names and audit names are the users' (255 characters each): a subject stays a line.
    subject: subjectLine(input.subject),
    text: `${input.lines.join('\n\n')}\n\n${input.action}: ${input.url}\n\n${footer}\n`,
    html: layout(input.subject, [...input.lines, footer], { label: input.action, url: input.url }),
  };
}

/** Sent at signup and on request: the link proves the address is the user's. */
export function verifyEmail(input: {
  name: string;
  verifyUrl: string;
  expiresAt: Date;
  joining: boolean;
}): RenderedEmail {
  const subject = 'Confirm your email address for StackAudit';
  const lines = [
    `Hello ${input.name},`,
    input.joining
      ? 'Confirm that this is your email address to join your organization on StackAudit: your email domain belongs to it, and you will join it as a member once you confirm.'
      : 'Confirm that this is your email address. Until you do, you cannot claim your email domain for your organization.',
    `The link is valid until ${input.expiresAt.toUTCString()} and can be used once.`,
  ];
  const ignore = 'If you did not sign up for StackAudit, ignore this email: nothing happens without the link.';
  return {
    subject,
    text: `${lines.join('\n\n')}\n\nConfirm it here: ${input.verifyUrl}\n\n${ignore}\n`,
    html: layout(subject, [...lines, ignore], { label: 'Confirm my email address', url: input.verifyUrl }),
  };
}

export function passwordResetEmail(input: { name: string; resetUrl: string; expiresAt: Date }): RenderedEmail {
  const subject = 'Reset your StackAudit password';
  const lines = [
    `Hello ${input.name},`,
    'Someone (we hope you) asked to reset the password of your StackAudit account. Choose a new one with the link below.',
    `The link is valid until ${input.expiresAt.toUTCString()} and can be used once. Using it logs out every other session of your account.`,
  ];
  const ignore = 'If you did not ask for this, ignore this email: your password stays as it is.';
  return {
    subject,
    text: `${lines.join('\n\n')}\n\nReset it here: ${input.resetUrl}\n\n${ignore}\n`,
    html: layout(subject, [...lines, ignore], { label: 'Choose a new password', url: input.resetUrl }),
  };
}

/** After a reset or a change: tells the owner, in case it was not them. */
export function passwordChangedEmail(input: { name: string; at: Date; loginUrl: string }): RenderedEmail {
  const subject = 'Your StackAudit password was changed';
  const lines = [
    `Hello ${input.name},`,
    `The password of your StackAudit account was changed on ${input.at.toUTCString()}, and every other session of the account was logged out.`,
    'If this was not you, reset your password now with "Forgot password?" on the login page, and tell your StackAudit admin.',
  ];
  return {
    subject,
    text: `${lines.join('\n\n')}\n\nLog in: ${input.loginUrl}\n`,
    html: layout(subject, lines, { label: 'Log in to StackAudit', url: input.loginUrl }),
  };
}

/** To the address an account had: tells its owner, in case it was not them. */
export function emailChangedEmail(input: { name: string; from: string; to: string; at: Date }): RenderedEmail {
  const subject = 'The email address of your StackAudit account was changed';
  const lines = [
    `Hello ${input.name},`,
    `On ${input.at.toUTCString()} the email address of your StackAudit account was changed from ${input.from} to ${input.to}. StackAudit will write to the new address from now on.`,
    'If this was not you, tell your StackAudit admin at once: they can remove the account from your organization.',
  ];
  return { subject, text: `${lines.join('\n\n')}\n`, html: layout(subject, lines) };
}

/** Each kind of event counted in words, one and many ("1 new comment", "3 new comments"). */
const COUNTED: Record<string, readonly [string, string]> = {
  audit_created: ['audit created', 'audits created'],
  audit_updated: ['audit edit', 'audit edits'],
  audit_deleted: ['audit deleted', 'audits deleted'],
  analysis_completed: ['analysis completed', 'analyses completed'],
  comment_added: ['new comment', 'new comments'],
  comment_edited: ['comment edited', 'comments edited'],
  comment_deleted: ['comment deleted', 'comments deleted'],
  reaction_added: ['reaction', 'reactions'],
  audit_shared: ['audit shared with someone', 'audits shared with someone'],
  share_removed: ['share removed', 'shares removed'],
  visibility_changed: ['change of who may see an audit', 'changes of who may see an audit'],
  member_invited: ['invitation sent', 'invitations sent'],
  member_joined: ['person joined', 'people joined'],
  member_removed: ['member removed', 'members removed'],
  role_changed: ['role changed', 'roles changed'],
};

function counted(action: string, count: number): string {
  const words = COUNTED[action];
  // An event this version has no words for is still counted, by its name.
  if (!words) return `${count} × ${action.replace(/_/g, ' ')}`;
  return `${count} ${count === 1 ? words[0] : words[1]}`;
}

/** The audits named in a digest, most active first; the rest are counted. */
const DIGEST_AUDITS = 5;

/**
 * The weekly digest: how many of each kind of event, most frequent first, and on which audits
 * ("Q3 stack (4 events)"). `more`: the events given are the first of more (the activity page
 * has them all).
 */
export function weeklyDigestEmail(input: {
  events: { action: string; auditId: string | null; auditName: string | null }[];
  more: boolean;
  url: string;
}): RenderedEmail {
  const byAction = new Map<string, number>();
  const byAudit = new Map<string, { name: string; count: number }>();
  for (const event of input.events) {
    byAction.set(event.action, (byAction.get(event.action) ?? 0) + 1);
    if (event.auditId === null) continue;
    const audit = byAudit.get(event.auditId) ?? { name: event.auditName ?? 'an audit', count: 0 };
    audit.count += 1;
    byAudit.set(event.auditId, audit);
  }
  const lines = [...byAction]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([action, count]) => counted(action, count));
  const audits = [...byAudit.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const named = audits
    .slice(0, DIGEST_AUDITS)
    .map((a) => `${a.name} (${a.count} ${a.count === 1 ? 'event' : 'events'})`);
  const rest = audits.length - named.length;
  return notificationEmail({
    subject: `Your StackAudit week: ${lines.slice(0, 2).join(', ')}${input.more ? ' and more' : ''}`,
    lines: [
      input.more
        ? `In the last seven days, on the audits you can see (the latest ${input.events.length} events; the activity page has them all):`
        : 'In the last seven days, on the audits you can see:',
      ...lines.map((l) => `• ${l}`),
      ...(named.length > 0
        ? [`Where: ${named.join(', ')}${rest > 0 ? `, and ${rest} more audit${rest === 1 ? '' : 's'}` : ''}.`]
        : []),
    ],
    url: input.url,
    action: 'See the activity',
  });
}

/** A renewal reminder: the tool, its cost, the date to act by, and the recommendation if any. */
export function renewalReminderEmail(input: {
  tool: string;
  renewalDate: string;
  cancelBy: string | null;
  daysLeft: number;
  monthlyCost: string | null;
  recommendation: string | null;
  url: string;
}): RenderedEmail {
  const when = input.daysLeft === 0 ? 'today' : `in ${input.daysLeft} day${input.daysLeft === 1 ? '' : 's'}`;
  const subject = input.cancelBy
    ? `${input.tool}: the last day to cancel is ${input.cancelBy} (${when})`
    : `${input.tool} renews on ${input.renewalDate} (${when})`;
  return notificationEmail({
    subject,
    lines: [
      input.cancelBy
        ? `${input.tool} renews on ${input.renewalDate}; to cancel or change it, give notice by ${input.cancelBy}.`
        : `${input.tool} renews on ${input.renewalDate}.`,
      ...(input.monthlyCost ? [`It costs ${input.monthlyCost} a month.`] : []),
      ...(input.recommendation ? [`The latest audit recommends: ${input.recommendation}.`] : []),
    ],
    url: input.url,
    action: 'See the renewals',
  });
}
