from . import omnichannel_kpi_report
