//! Paging for `/facts` and the moderators' reports (`/unanswered`, `/feedback`): which slice a
//! page shows, and its Previous / Next buttons. What a button does is in its custom id, so a
//! page is drawn again from scratch on each click and no per-message state is kept.

use super::custom_id::ButtonAction;
use super::reply::{Button, Embed, Reply};

/// The page to show (from 0; past the end shows the last) and how many pages there are, for
/// `items` items `per_page` to a page. An empty list is one empty page.
pub fn clamp(items: usize, per_page: usize, page: usize) -> (usize, usize) {
    let pages = items.div_ceil(per_page.max(1)).max(1);
    (page.min(pages - 1), pages)
}

/// The items page `page` shows, `per_page` to a page; none past the end.
pub fn on_page<T>(items: &[T], per_page: usize, page: usize) -> &[T] {
    let start = page.saturating_mul(per_page).min(items.len());
    &items[start..start.saturating_add(per_page).min(items.len())]
}

/// Previous / Next buttons for `page` of `pages`, none when everything fits on one page.
/// `action` makes the button's action for a page number.
pub fn buttons(page: usize, pages: usize, action: impl Fn(usize) -> ButtonAction) -> Vec<Button> {
    if pages <= 1 {
        return Vec::new();
    }
    let button = |label: &str, target: usize, disabled: bool| {
        action(target).custom_id().map(|custom_id| Button {
            label: label.to_string(),
            custom_id,
            disabled,
        })
    };
    // The ids differ (page - 1 and page + 1) as Discord requires, even where one is disabled.
    [
        button("◀ Previous", page.saturating_sub(1), page == 0),
        button("Next ▶", page + 1, page + 1 >= pages),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Page `page` of `pages` of a moderator's report, with its buttons. Only that moderator sees
/// it: a report shows what members asked and how they voted.
pub fn report(
    embed: Embed,
    page: usize,
    pages: usize,
    action: impl Fn(usize) -> ButtonAction,
) -> Reply {
    let mut reply = Reply::embed(embed).ephemeral();
    reply.buttons = buttons(page, pages, action);
    reply.fit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped_and_never_zero() {
        assert_eq!(clamp(0, 5, 3), (0, 1));
        assert_eq!(clamp(11, 5, 1), (1, 3));
        assert_eq!(clamp(11, 5, 9), (2, 3));
    }

    #[test]
    fn a_page_shows_its_slice_and_nothing_past_the_end() {
        let items = [1, 2, 3, 4, 5, 6, 7];
        assert_eq!(on_page(&items, 5, 0), [1, 2, 3, 4, 5]);
        assert_eq!(on_page(&items, 5, 1), [6, 7]);
        assert!(on_page(&items, 5, 2).is_empty());
        assert!(on_page(&items, 5, usize::MAX).is_empty());
    }

    #[test]
    fn buttons_only_when_there_is_more_than_one_page() {
        let action = |page| ButtonAction::FeedbackPage { days: 7, page };
        assert!(buttons(0, 1, action).is_empty());
        let first = buttons(0, 2, action);
        assert_eq!(
            first
                .iter()
                .map(|b| (b.custom_id.as_str(), b.disabled))
                .collect::<Vec<_>>(),
            [
                ("talkbot:feedback:7:0", true),
                ("talkbot:feedback:7:1", false)
            ]
        );
        let last = buttons(1, 2, action);
        assert!(!last[0].disabled && last[1].disabled);
        assert_ne!(last[0].custom_id, last[1].custom_id);
    }
}
