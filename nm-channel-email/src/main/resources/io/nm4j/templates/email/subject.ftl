<#-- The e-mail's built-in subject (plain text, one line): counts, names, the common namespace. -->
<#import "/nm.ftl" as nm>
<#if alerts?has_content>${nm.counts()} ${nm.nameList(3)}<#else>${words.noAlerts}</#if><#if commonNamespace?has_content> (${commonNamespace})</#if>
