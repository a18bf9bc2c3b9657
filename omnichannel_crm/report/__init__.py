from . import omnichannel_kpi_report
from . import omnichannel_kpi_response_time
