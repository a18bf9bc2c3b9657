from . import omnichannel_kpi_fact
from . import omnichannel_kpi_report
from . import omnichannel_kpi_reading
from . import omnichannel_kpi_total
from . import omnichannel_kpi_response_time
