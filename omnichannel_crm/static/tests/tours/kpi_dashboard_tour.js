/** The customer service dashboard opens, computes its KPI cards and draws its charts. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omnichannel_kpi_dashboard", {
    steps: () => [
        {
            trigger: ".o_search_panel_category_value[data-name='Customer service KPIs']",
            run: "click",
        },
        {
            trigger:
                ".o_search_panel_category_value.active[data-name='Customer service KPIs']",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-figure",
        },
        {
            // Loaded: neither loading nor failed.
            trigger:
                ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status)) .o-figure",
        },
    ],
});
