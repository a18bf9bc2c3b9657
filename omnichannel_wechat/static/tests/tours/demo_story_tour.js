/** The demo's delayed-flight ticket, as its agent opens it: the customer's WeChat messages and the
 * agent's answers are its conversation, in order, and the customer's context is beside it. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omnichannel_demo_story", {
    steps: () => [
        {
            content: "The customer's first WeChat message is in the thread",
            trigger: ".o-mail-Message:contains(航班延误了，酒店接送怎么办)",
        },
        {
            content: "with her flight number after it",
            trigger: ".o-mail-Message:contains(HU7281，原定 7:40 起飞)",
        },
        {
            content: "and the agent's answers",
            trigger: ".o-mail-Message:contains(晚餐改到 20:30)",
        },
        {
            content: "The ticket counts her interactions on every channel",
            trigger: "button[name='action_view_omnichannel_interactions'] .o_stat_value",
        },
    ],
});
