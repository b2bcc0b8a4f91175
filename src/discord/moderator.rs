//! Who may `/refresh`, `/unanswered`, `/feedback` and `/teach`. Registration hides those
//! commands from members without Manage Server, but server admins can change who sees a
//! command, so the handlers ask again here.

use poise::serenity_prelude::{GuildId, Member, Permissions, RoleId};
use tracing::warn;

use super::data::{Context, Error};
use super::error::user_error;

/// `permissions` are the member's permissions in the channel, as Discord sends them with the
/// interaction; `None` (a DM, or a member Discord sent none for) is not a moderator.
pub fn is_moderator(
    permissions: Option<Permissions>,
    roles: &[RoleId],
    moderator_role: Option<RoleId>,
) -> bool {
    let by_permission = permissions.is_some_and(|p| {
        p.contains(Permissions::MANAGE_GUILD) || p.contains(Permissions::ADMINISTRATOR)
    });
    let by_role = moderator_role.is_some_and(|role| roles.contains(&role));
    by_permission || by_role
}

/// [`is_moderator`] for a member as an interaction carries them (`None` outside a server).
pub fn member_is_moderator(member: Option<&Member>, moderator_role: Option<RoleId>) -> bool {
    is_moderator(
        member.and_then(|m| m.permissions),
        member.map_or(&[], |m| &m.roles),
        moderator_role,
    )
}

/// Whether whoever invoked `ctx` (a slash command or its autocomplete) is a moderator.
pub fn invoked_by_moderator(ctx: Context<'_>) -> bool {
    let member = match ctx {
        poise::Context::Application(app) => app.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    member_is_moderator(member, ctx.data().moderator_role)
}

/// The server a moderator-only command runs in, or `denied` for everyone else (logged), so
/// every refusal is the same ephemeral message and the handler changes nothing.
pub fn require_moderator(ctx: Context<'_>, denied: &str) -> Result<GuildId, Error> {
    match ctx.guild_id() {
        Some(guild) if invoked_by_moderator(ctx) => Ok(guild),
        _ => {
            let author = ctx.author();
            warn!(user = %author.id, name = %author.name, command = %ctx.command().name, "refused: not a moderator");
            Err(user_error(denied))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: RoleId = RoleId::new(7);

    #[test]
    fn manage_server_or_administrator_is_enough() {
        assert!(is_moderator(Some(Permissions::MANAGE_GUILD), &[], None));
        assert!(is_moderator(Some(Permissions::ADMINISTRATOR), &[], None));
    }

    #[test]
    fn the_moderator_role_is_enough() {
        assert!(is_moderator(
            Some(Permissions::empty()),
            &[ROLE],
            Some(ROLE)
        ));
        assert!(is_moderator(None, &[ROLE], Some(ROLE)));
    }

    #[test]
    fn anyone_else_is_refused() {
        assert!(!is_moderator(
            Some(Permissions::SEND_MESSAGES),
            &[RoleId::new(8)],
            Some(ROLE)
        ));
        assert!(!is_moderator(None, &[ROLE], None));
        assert!(!is_moderator(None, &[], None));
    }
}
