/** The operator opens a live chat session and sees who the visitor is and the ticket it is on. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omnichannel_livechat_session", {
    steps: () => [
        {
            content: "The session names the customer",
            trigger: ".o_field_widget[name=omnichannel_partner_id]:contains(Sun Mei)",
        },
        {
            content: "and the ticket the conversation is on",
            trigger: ".o_field_widget[name=omnichannel_ticket_id] a",
        },
        {
            content: "The customer's recent contacts are listed",
            trigger: ".o_field_widget[name=omnichannel_recent_interaction_ids] .o_data_row",
        },
        {
            content: "The Ticket button opens the ticket",
            trigger: "button[name=action_omnichannel_ticket]",
            run: "click",
        },
        {
            content: "The ticket's form is open",
            trigger: ".o_breadcrumb .active:contains(提前入住)",
        },
    ],
});
