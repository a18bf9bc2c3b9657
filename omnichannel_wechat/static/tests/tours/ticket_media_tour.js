/** An agent opens a ticket whose customer sent a picture and a voice message over WeChat: the
 * picture shows in the chatter, the voice message plays in Odoo's voice player. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omnichannel_wechat_ticket_media", {
    steps: () => [
        {
            content: "The customer's picture is shown inline on their message",
            trigger: ".o-mail-Message .o-mail-AttachmentImage img",
        },
        {
            content: "The voice message has its player",
            trigger: ".o-mail-Message .o-mail-VoicePlayer",
        },
        {
            content: "which can be played",
            trigger: ".o-mail-Message .o-mail-VoicePlayer button.fa-play",
        },
        {
            content: "The original recording can still be downloaded",
            trigger: ".o-mail-Message .o-mail-AttachmentCard:contains(amr)",
        },
    ],
});
