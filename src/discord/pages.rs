//! Paging for the reports (`/unanswered`, `/feedback`): which slice a page shows, and its
//! Previous / Next buttons. What a button does is in its custom id, so a page is drawn again
//! from scratch on each click and no per-message state is kept.

use super::custom_id::ButtonAction;
use super::reply::Button;

/// The page to show (from 0; past the end shows the last) and how many pages there are, for
/// `items` items `per_page` to a page. An empty list is one empty page.
pub fn clamp(items: usize, per_page: usize, page: usize) -> (usize, usize) {
    let pages = items.div_ceil(per_page.max(1)).max(1);
    (page.min(pages - 1), pages)
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
