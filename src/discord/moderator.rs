//! Who may `/refresh`. Registration hides the command from members without Manage Server, but
//! server admins can change who sees a command, so the handler asks again here.

use poise::serenity_prelude::{Permissions, RoleId};

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
