// The grammar of an action id, `<action>` or `<action>:<subject>` (the subject may itself hold
// colons), with no imports: the tree in the activation bundle reads it without loading the
// playbook model. Validation is action-id.ts's (`parseActionId`).

/** The action part of an action id. */
export function actionOf(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(0, colon);
}

/** An action id from its parts. */
export function joinActionId(action: string, subject?: string): string {
  return subject === undefined ? action : `${action}:${subject}`;
}
